// Where the stack lives and which ports it binds, resolved once from the environment.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { obskitError } from '../common/errors';
import { numberIn } from '../common/numbers';
import { type BackendSpec, backends } from './manifest';
import { portNamed } from './resolved';

export { binDir, mainPort, portNamed } from './resolved';

export interface ResolvedPort {
  name: string;
  defaultPort: number;
  port: number;
  protocol: 'tcp' | 'tcp+udp';
  /** The variable that overrides this port. */
  env: string;
}

export interface Backend extends BackendSpec {
  resolvedPorts: ResolvedPort[];
}

export interface StackConfig {
  /** Installed software: binaries, the Elasticsearch distribution, Go and Maven caches. */
  home: string;
  /** Data, logs, pid files and rendered configs of running backends. */
  runDir: string;
  /** The repository (or installed package) holding collectors/ and stack/. */
  packageRoot: string;
  backends: Backend[];
}

/** Root's home is private, and Elasticsearch must run as another user, so root caches in /var. */
function defaultHome(env: NodeJS.ProcessEnv): string {
  if (process.getuid?.() === 0) return '/var/cache/obskit';
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'obskit');
}

export function portEnvName(backend: BackendSpec, portName: string): string {
  const suffix = backend.ports.length === 1 ? '' : `_${portName}`;
  return `OBSKIT_PORT_${backend.name}${suffix}`.toUpperCase().replaceAll('-', '_');
}

/** A port from variable `name`, else `fallback`; a bad value stops the command with one line. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = numberIn(raw, { min: 1, max: 65535, integer: true });
  if (port === undefined)
    throw obskitError('OBSKIT_E_BAD_ENV', name, raw, 'a port number from 1 to 65535');
  return port;
}

export function resolveStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const home = resolve(env.OBSKIT_HOME || defaultHome(env));
  return {
    home,
    runDir: resolve(env.OBSKIT_RUN_DIR || join(home, 'run')),
    packageRoot: resolve(__dirname, '..', '..'),
    backends: backends.map((spec) => ({
      ...spec,
      resolvedPorts: spec.ports.map((p) => {
        const envName = portEnvName(spec, p.name);
        return { ...p, defaultPort: p.port, port: portFromEnv(env, envName, p.port), env: envName };
      }),
    })),
  };
}

/** The backends named in `--only`, or all of them. */
export function selectBackends(config: StackConfig, only: string[] | undefined): Backend[] {
  if (!only || only.length === 0) return config.backends;
  const known = config.backends.map((b) => b.name);
  return only.map((name) => {
    const found = config.backends.find((b) => b.name === name);
    if (!found) throw obskitError('OBSKIT_E_UNKNOWN_BACKEND', name, known.join(', '));
    return found;
  });
}

/** The port of the backend called `backend`; see portNamed. */
export function backendPort(config: StackConfig, backend: string, portName?: string): number {
  const found = config.backends.find((b) => b.name === backend);
  if (!found) throw new Error(`no backend ${backend}`);
  return portNamed(found, portName);
}
