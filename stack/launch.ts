// How `stack up` asks a backend for its plan and its probe: the context its file in backends/
// receives, with its run and data directories made.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, runDirOf } from './paths';
import type { Backend, LaunchPlan, Probe, StackConfig } from './types';

export const probeOf = (backend: Backend): Probe => backend.probe(backend);

export function launchPlan(
  config: StackConfig,
  backend: Backend,
  javaHome: string | undefined,
): LaunchPlan {
  const dir = runDirOf(config, backend);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  return backend.launch({ config, backend, dir, data, bin: binDir(config), javaHome });
}
