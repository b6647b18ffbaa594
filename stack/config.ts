// Where the stack lives and which ports its backends bind, resolved once from the environment;
// the backends come from the caller (local-stack.ts passes backends/), so none is imported here.

import { obskitError } from '../common/errors';
import { deepFreeze } from '../common/freeze';
import { numberIn } from '../common/numbers';
import { packageRoot } from '../common/package-root';
import { stackHome, stackRunDir } from '../common/stack-paths';
import { retentionDays } from './log-retention';
import type { Backend, BackendSpec, StackConfig } from './types';

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
export function resolveStackConfig(
  specs: readonly BackendSpec[],
  env: NodeJS.ProcessEnv = process.env,
): StackConfig {
  return deepFreeze({
    home: stackHome(env),
    runDir: stackRunDir(env),
    packageRoot: packageRoot(),
    backends: specs.map((spec) => resolveBackend(spec, env)),
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
