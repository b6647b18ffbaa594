// Where the stack lives and which ports its backends bind, resolved once from the environment;
// the backends come from the caller (local-stack.ts passes backends/), so none is imported here.

import { obskitError } from '../common/errors';
import { deepFreeze } from '../common/freeze';
import { packageRoot } from '../common/package-root';
import { stackHome, stackRunDir } from '../common/stack-paths';
import { retentionDays } from './log-retention';
import { portFromEnv } from './ports';
import type {
  Backend,
  BackendSpec,
  Member,
  Port,
  ResolvedPort,
  StackConfig,
  Topology,
} from './types';

/** The topologies, the default first. */
export const topologies: readonly Topology[] = ['single', 'cluster'];

export const isTopology = (name: string): name is Topology =>
  (topologies as readonly string[]).includes(name);

/** OBSKIT_TOPOLOGY, checked: a bad value stops the command with one clear line. */
export function topologyFromEnv(env: NodeJS.ProcessEnv): Topology {
  const raw = env.OBSKIT_TOPOLOGY || 'single';
  if (!isTopology(raw))
    throw obskitError('OBSKIT_E_BAD_ENV', 'OBSKIT_TOPOLOGY', raw, topologies.join(' or '));
  return raw;
}

/** The variable of a port of `owner` (a backend, or a member such as etcd-2). */
export function portEnvName(owner: { name: string; ports: Port[] }, portName: string): string {
  const suffix = owner.ports.length === 1 ? '' : `_${portName}`;
  return `OBSKIT_PORT_${owner.name}${suffix}`.toUpperCase().replaceAll('-', '_');
}

function resolvePorts(name: string, ports: Port[], env: NodeJS.ProcessEnv): ResolvedPort[] {
  return ports.map((p) => {
    const envName = portEnvName({ name, ports }, p.name);
    return { ...p, defaultPort: p.port, port: portFromEnv(env, envName, p.port), env: envName };
  });
}

/**
 * The backend alone, or its members (`<name>-1` keeps the backend's own ports) in a cluster;
 * none in a topology it does not run in.
 */
function resolveMembers(
  spec: BackendSpec,
  own: ResolvedPort[],
  topology: Topology,
  env: NodeJS.ProcessEnv,
): Member[] {
  const cluster = spec.cluster;
  if (spec.topologies && !spec.topologies.includes(topology)) return [];
  if (topology === 'single' || !cluster) return [{ name: spec.name, resolvedPorts: own }];
  return Array.from({ length: cluster.members }, (_, index) => {
    const name = `${spec.name}-${index + 1}`;
    return {
      name,
      resolvedPorts: index === 0 ? own : resolvePorts(name, cluster.ports(index), env),
    };
  });
}

function resolveBackend(spec: BackendSpec, topology: Topology, env: NodeJS.ProcessEnv): Backend {
  const resolvedPorts = resolvePorts(spec.name, spec.ports, env);
  return {
    ...spec,
    resolvedPorts,
    members: resolveMembers(spec, resolvedPorts, topology, env),
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
  const topology = topologyFromEnv(env);
  return deepFreeze({
    home: stackHome(env),
    runDir: stackRunDir(env),
    packageRoot: packageRoot(),
    topology,
    backends: specs.map((spec) => resolveBackend(spec, topology, env)),
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
