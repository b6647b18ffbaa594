// How `stack up` asks a backend for its plan and its probe, per member (the backend itself in
// the single topology): the context its file in backends/ receives, with its directories made.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { binDir, runDirOf } from './paths';
import type { Backend, LaunchPlan, Member, Probe, StackConfig } from './types';

/** The first member of a backend: the backend itself in the single topology. */
const firstOf = (backend: Backend): Member => backend.members[0] ?? backend;

export const probeOf = (backend: Backend, member = firstOf(backend)): Probe =>
  backend.probe(backend, member);

export function launchPlan(
  config: StackConfig,
  backend: Backend,
  javaHome: string | undefined,
  member = firstOf(backend),
): LaunchPlan {
  const dir = runDirOf(config, member);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  return backend.launch({ config, backend, member, dir, data, bin: binDir(config), javaHome });
}
