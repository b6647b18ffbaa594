// Where the local stack puts its installed binaries and each backend's (or member's) run directory.

import { join } from 'node:path';
import type { Backend, Member, StackConfig } from './types';

export const binDir = (config: StackConfig) => join(config.home, 'bin');

export const runDirOf = (config: StackConfig, process: Backend | Member) =>
  join(config.runDir, process.name);
