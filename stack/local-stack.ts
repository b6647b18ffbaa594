// The local stack as the commands use it: every backend of backends/, resolved once from the
// environment.

import { backends } from './backends';
import { resolveStackConfig } from './config';
import type { StackConfig } from './types';

export const localStackConfig = (env: NodeJS.ProcessEnv = process.env): StackConfig =>
  resolveStackConfig(backends, env);
