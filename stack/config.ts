// Where the stack lives and which ports it binds, resolved once from the environment.

import { resolve } from 'node:path';
import { obskitError } from '../common/errors';
import { deepFreeze } from '../common/freeze';
import { numberIn } from '../common/numbers';
import { stackHome, stackRunDir } from '../common/stack-paths';
import { retentionDays } from './log-retention';
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
  /** What the backend's own variables say, from its `settings` hook. */
  resolvedSettings: Readonly<Record<string, string>>;
}

/** The ports of `obskit demo`'s services; replicas and metrics take the ports after these. */
export interface DemoPorts {
  /** OBSKIT_PORT_GATEWAY. Default 8080. */
  gateway: number;
  /** OBSKIT_PORT_ENTITY_SERVICE: the first replica's. Default 50051. */
  entityService: number;
  /** OBSKIT_PORT_APP_METRICS: the gateway's /metrics. Default 9464. */
  appMetrics: number;
}

export interface StackConfig {
  /** Installed software: binaries, the Elasticsearch distribution, Go and Maven caches. */
  home: string;
  /** Data, logs, pid files and rendered configs of running backends. */
  runDir: string;
  /** The repository (or installed package) holding collectors/ and stack/. */
  packageRoot: string;
  backends: Backend[];
  /** OBSKIT_LOG_RETENTION_DAYS: days of daily log (and trace) indices kept before today's. */
  retentionDays: number;
  demoPorts: DemoPorts;
}

export function portEnvName(backend: BackendSpec, portName: string): string {
  const suffix = backend.ports.length === 1 ? '' : `_${portName}`;
  return `OBSKIT_PORT_${backend.name}${suffix}`.toUpperCase().replaceAll('-', '_');
}

/** A port from variable `name`, else `fallback`; a bad value stops the command with one line. */
function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = numberIn(raw, { min: 1, max: 65535, integer: true });
  if (port === undefined)
    throw obskitError('OBSKIT_E_BAD_ENV', name, raw, 'a port number from 1 to 65535');
  return port;
}

function resolveBackend(spec: BackendSpec, env: NodeJS.ProcessEnv): Backend {
  return {
    ...spec,
    resolvedPorts: spec.ports.map((p) => {
      const envName = portEnvName(spec, p.name);
      return { ...p, defaultPort: p.port, port: portFromEnv(env, envName, p.port), env: envName };
    }),
    resolvedSettings: spec.settings?.(env) ?? {},
  };
}

/**
 * Every variable the stack and the demo's launch read, resolved once: a bad value stops the
 * command with one line before anything starts. Frozen: nothing reads the environment later.
 */
export function resolveStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  return deepFreeze({
    home: stackHome(env),
    runDir: stackRunDir(env),
    packageRoot: resolve(__dirname, '..', '..'),
    backends: backends.map((spec) => resolveBackend(spec, env)),
    retentionDays: retentionDays(env),
    demoPorts: {
      gateway: portFromEnv(env, 'OBSKIT_PORT_GATEWAY', 8080),
      entityService: portFromEnv(env, 'OBSKIT_PORT_ENTITY_SERVICE', 50051),
      appMetrics: portFromEnv(env, 'OBSKIT_PORT_APP_METRICS', 9464),
    },
  });
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
