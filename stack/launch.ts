// What every backend's launch shares: its run directory, its rendered collectors/ config, and
// the plan and probe that its file in backends/ returns.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, StackConfig } from './config';
import { httpOk, tcpOk } from './health';
import { renderDir } from './render';
import { portNamed } from './resolved';

export interface LaunchPlan {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A backend that refuses to run as root runs as this user. */
  user?: string;
  /** Directories the backend writes to, handed to `user` when there is one. */
  writableDirs: string[];
}

export interface Probe {
  url: string;
  healthy: () => Promise<boolean>;
}

/** What a backend's launch receives: where it runs and writes. */
export interface LaunchContext {
  config: StackConfig;
  backend: Backend;
  /** The backend's run directory. */
  dir: string;
  /** Its data directory, created. */
  data: string;
  /** The JDK of a backend installed from Maven. */
  javaHome: string | undefined;
}

export const runDirOf = (config: StackConfig, backend: Backend) =>
  join(config.runDir, backend.name);

/** Renders one collectors/ folder into the backend's run directory; returns the copy. */
export function renderCollector(context: LaunchContext, folder: string): string {
  const source = join(context.config.packageRoot, 'collectors', folder);
  return renderDir(source, join(context.dir, 'config'), context.config.backends);
}

export const probeOf = (backend: Backend): Probe => backend.probe(backend);

export function launchPlan(
  config: StackConfig,
  backend: Backend,
  javaHome: string | undefined,
): LaunchPlan {
  const dir = runDirOf(config, backend);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  return backend.launch({ config, backend, dir, data, javaHome });
}

/** A probe that only connects, for backends with no health endpoint of their own. */
export function tcpProbe(backend: Backend, scheme = 'tcp'): Probe {
  const port = portNamed(backend);
  return { url: `${scheme}://127.0.0.1:${port}`, healthy: () => tcpOk(port) };
}

/** A probe that GETs `path` on the backend's first port. */
export function httpProbe(
  backend: Backend,
  path: string,
  accept?: (body: string) => boolean,
): Probe {
  const url = `http://127.0.0.1:${portNamed(backend)}`;
  return { url, healthy: () => httpOk(`${url}${path}`, accept) };
}
