// `obskit stack up | down | status`: start, stop and report the local backends, each as one
// process or, in the cluster topology, as its members.

import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../common/errors';
import { run } from './exec';
import { isInstalled } from './install';
import { findJavaHome } from './install/maven';
import { launchPlan, probeOf } from './launch';
import { runDirOf } from './paths';
import {
  checkPortsFree,
  runningPidIn,
  type Supervised,
  startAndWait,
  stopInWaves,
} from './supervisor';
import type { Backend, Member, StackConfig } from './types';

export interface BackendStatus {
  /** The backend's name, or in the cluster topology its member's (etcd-1). */
  name: string;
  version: string;
  port: number;
  /** Every port the backend binds, by name. */
  ports: Record<string, number>;
  pid: number | null;
  healthy: boolean;
  url: string;
  /** In the cluster topology, what the member is in its cluster (etcd: leader or follower). */
  role?: string;
  /** In the cluster topology, its cluster's health as the member sees it (Elasticsearch: green). */
  cluster?: string;
}

const firstOf = (backend: Backend): Member => backend.members[0] ?? backend;

const pidOf = (config: StackConfig, member: Member) => runningPidIn(config.runDir, member.name);

/** Whether the member runs and its probe says it is healthy. */
const healthyNow = async (config: StackConfig, backend: Backend, member: Member) =>
  pidOf(config, member) !== undefined && (await probeOf(backend, member).healthy());

export async function statusOf(
  config: StackConfig,
  backend: Backend,
  member = firstOf(backend),
): Promise<BackendStatus> {
  const probe = probeOf(backend, member);
  const pid = pidOf(config, member) ?? null;
  const status: BackendStatus = {
    name: member.name,
    version: backend.version,
    port: member.resolvedPorts[0]?.port ?? 0,
    ports: Object.fromEntries(member.resolvedPorts.map((p) => [p.name, p.port])),
    pid,
    healthy: pid !== null && (await probe.healthy()),
    url: probe.url,
  };
  if (config.topology === 'single') return status;
  // Asked only of a running member; '-' when it does not say.
  const ask = async (hook?: (m: Member) => Promise<string | undefined>) =>
    hook && ((pid !== null && (await hook(member))) || '-');
  const [role, cluster] = await Promise.all([ask(backend.role), ask(backend.clusterHealth)]);
  return { ...status, ...(role ? { role } : {}), ...(cluster ? { cluster } : {}) };
}

/** A status per process: one per backend, one per member of a backend that runs as members. */
export const statusesOf = (config: StackConfig, backends: Backend[]): Promise<BackendStatus[]> =>
  Promise.all(backends.flatMap((b) => b.members.map((m) => statusOf(config, b, m))));

/** The backends of which a member (or the backend itself) runs, by its pid file. */
export function runningBackends(config: StackConfig): Backend[] {
  return config.backends.filter((b) => b.members.some((m) => pidOf(config, m) !== undefined));
}

/** Fails, before anything starts, on a backend that is missing or whose port is taken. */
async function checkCanStart(config: StackConfig, selected: Backend[], toStart: Member[]) {
  for (const backend of selected) {
    const members = backend.members.filter((m) => toStart.includes(m));
    if (members.length === 0) continue;
    if (!(await isInstalled(config, backend)))
      throw obskitError('OBSKIT_E_NOT_INSTALLED', backend.name);
    await checkPortsFree(
      members.flatMap((m) => m.resolvedPorts.map((p) => ({ ...p, owner: m.name }))),
    );
  }
}

export async function stackUp(
  config: StackConfig,
  chosen: Backend[],
  deadlineMs: number,
  log: (line: string) => void,
): Promise<BackendStatus[]> {
  // A backend of another topology only has no member here: nothing of it starts, no hook runs.
  const selected = chosen.filter((b) => b.members.length > 0);
  const members = selected.flatMap((b) => b.members);
  const toStart = members.filter((m) => pidOf(config, m) === undefined);
  for (const member of members.filter((m) => !toStart.includes(m)))
    log(`${member.name} is already running`);
  await checkCanStart(config, selected, toStart);
  const starts = (b: Backend) => b.members.some((m) => toStart.includes(m));
  const onJava = (b: Backend) => b.source.kind === 'maven-zip' || b.source.kind === 'maven-jars';
  const javaHome = selected.some((b) => starts(b) && onJava(b)) ? await findJavaHome() : undefined;
  // A backend waits for the `ready` hooks of those it starts after, when they start together.
  const waits = (b: Backend) => b.startsAfter?.some((n) => selected.some((s) => s.name === n));
  for (const wave of [selected.filter((b) => !waits(b)), selected.filter(waits)]) {
    await startWave(config, wave, toStart, javaHome, deadlineMs, log);
    for (const backend of wave) await backend.ready?.(config, backend, log);
  }
  return statusesOf(config, selected);
}

/** What the supervisor starts (when `start`) and waits for: one member of a backend. */
async function supervised(
  config: StackConfig,
  backend: Backend,
  member: Member,
  start: boolean,
  javaHome: string | undefined,
): Promise<Supervised> {
  const ready = () => healthyNow(config, backend, member);
  if (!start) return { name: member.name, ready };
  const plan = launchPlan(config, backend, javaHome, member);
  if (plan.user) await handTo(plan.user, plan.writableDirs);
  return { name: member.name, ready, launch: { ...plan, cwd: runDirOf(config, member) } };
}

/** Starts the members of `backends` that are in `toStart`, then waits until all are healthy. */
async function startWave(
  config: StackConfig,
  backends: Backend[],
  toStart: Member[],
  javaHome: string | undefined,
  deadlineMs: number,
  log: (line: string) => void,
): Promise<void> {
  const processes: Supervised[] = [];
  for (const backend of backends)
    for (const member of backend.members)
      processes.push(await supervised(config, backend, member, toStart.includes(member), javaHome));
  const failed = await startAndWait(config.runDir, processes, {
    deadlineMs,
    tailLines: 5,
    onStarted: (name) => log(`started ${name}`),
  });
  if (failed.length > 0) {
    for (const { name, tail } of failed) log(`${name} log tail:\n${indented(tail)}`);
    throw obskitError('OBSKIT_E_UNHEALTHY', failed.map((f) => f.name).join(', '), config.runDir);
  }
}

/**
 * Every process a backend may run as, in any topology: `down` stops those that run, so a cluster
 * started with --topology cluster stops without it, and the single node with it.
 */
export const processNamesOf = (backend: Backend): string[] => [
  ...new Set([
    backend.name,
    ...backend.members.map((m) => m.name),
    ...Array.from({ length: backend.cluster?.members ?? 0 }, (_, i) => `${backend.name}-${i + 1}`),
  ]),
];

export async function stackDown(
  config: StackConfig,
  selected: Backend[],
  log: (line: string) => void,
): Promise<void> {
  const names = selected.flatMap(processNamesOf);
  if ((await stopInWaves(config.runDir, [names], log)) === 0) log('nothing was running');
}

/** Creates the backend's user when missing and gives it the backend's directories. */
async function handTo(user: string, dirs: string[]): Promise<void> {
  if ((await run('id', ['-u', user])).code !== 0) {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      user,
    ]);
  }
  const uid = Number((await run('id', ['-u', user])).output.trim());
  const gid = Number((await run('id', ['-g', user])).output.trim());
  if (!Number.isInteger(uid))
    throw obskitError(
      'OBSKIT_E_PREREQUISITE',
      `could not create user ${user}`,
      'run useradd yourself or run obskit as a non-root user',
    );
  for (const dir of dirs) chownTree(dir, uid, gid);
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory())
    for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

const indented = (lines: string[]) =>
  lines.length > 0 ? lines.map((l) => `  ${l}`).join('\n') : '  (no log)';
