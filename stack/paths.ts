// Where the local stack puts its installed binaries and each backend's run directory.

import { join } from 'node:path';
import type { Backend, StackConfig } from './types';

export const binDir = (config: StackConfig) => join(config.home, 'bin');

export const runDirOf = (config: StackConfig, backend: Backend) =>
  join(config.runDir, backend.name);
