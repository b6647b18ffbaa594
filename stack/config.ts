// Where the stack lives and which ports its backends bind, resolved once from the environment;
// the backends come from the caller (local-stack.ts passes backends/), so none is imported here.

import { obskitError } from '../common/errors';
import { deepFreeze } from '../common/freeze';
import { packageRoot } from '../common/package-root';
import { stackHome, stackRunDir } from '../common/stack-paths';
import { retentionDays } from './log-retention';
import { portFromEnv } from './ports';
import type { Backend, BackendSpec, StackConfig } from './types';

export function portEnvName(backend: BackendSpec, portName: string): string {
  const suffix = backend.ports.length === 1 ? '' : `_${portName}`;
  return `OBSKIT_PORT_${backend.name}${suffix}`.toUpperCase().replaceAll('-', '_');
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
 * Every variable the stack reads, resolved once: a bad value stops the
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
