// `obskit stack up | down | status`: start, stop and report the local backends.

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
import type { Backend, StackConfig } from './types';

export interface BackendStatus {
  name: string;
  version: string;
  port: number;
  /** Every port the backend binds, by name. */
  ports: Record<string, number>;
  pid: number | null;
  healthy: boolean;
  url: string;
}

export async function statusOf(config: StackConfig, backend: Backend): Promise<BackendStatus> {
  const probe = probeOf(backend);
  const pid = runningPidIn(config.runDir, backend.name) ?? null;
  return {
    name: backend.name,
    version: backend.version,
    port: backend.resolvedPorts[0]?.port ?? 0,
    ports: Object.fromEntries(backend.resolvedPorts.map((p) => [p.name, p.port])),
    pid,
    healthy: pid !== null && (await probe.healthy()),
    url: probe.url,
  };
}

/** The backends whose pid file names a live process. */
export function runningBackends(config: StackConfig): Backend[] {
  return config.backends.filter((b) => runningPidIn(config.runDir, b.name) !== undefined);
}

/** Fails, before anything starts, on a backend that is missing or whose port is taken. */
async function checkCanStart(config: StackConfig, toStart: Backend[]): Promise<void> {
  for (const backend of toStart) {
    if (!(await isInstalled(config, backend)))
      throw obskitError('OBSKIT_E_NOT_INSTALLED', backend.name);
    await checkPortsFree(backend.resolvedPorts.map((p) => ({ ...p, owner: backend.name })));
  }
}

export async function stackUp(
  config: StackConfig,
  selected: Backend[],
  deadlineMs: number,
  log: (line: string) => void,
): Promise<BackendStatus[]> {
  const running = runningBackends(config);
  const toStart = selected.filter((b) => !running.includes(b));
  for (const backend of selected.filter((b) => !toStart.includes(b)))
    log(`${backend.name} is already running`);
  await checkCanStart(config, toStart);
  const javaHome = toStart.some((b) => b.source.kind === 'maven-zip')
    ? await findJavaHome()
    : undefined;
  // A backend waits for the `ready` hooks of those it starts after, when they start together.
  const waits = (b: Backend) => b.startsAfter?.some((n) => selected.some((s) => s.name === n));
  for (const wave of [selected.filter((b) => !waits(b)), selected.filter(waits)]) {
    await startWave(config, wave, toStart, javaHome, deadlineMs, log);
    for (const backend of wave) await backend.ready?.(config, backend, log);
  }
  return Promise.all(selected.map((b) => statusOf(config, b)));
}

/** Starts those of `backends` that are in `toStart`, then waits until all are healthy. */
async function startWave(
  config: StackConfig,
  backends: Backend[],
  toStart: Backend[],
  javaHome: string | undefined,
  deadlineMs: number,
  log: (line: string) => void,
): Promise<void> {
  const processes: Supervised[] = [];
  for (const backend of backends) {
    const ready = async () => (await statusOf(config, backend)).healthy;
    if (!toStart.includes(backend)) {
      processes.push({ name: backend.name, ready });
      continue;
    }
    const plan = launchPlan(config, backend, javaHome);
    if (plan.user) await handTo(plan.user, plan.writableDirs);
    processes.push({
      name: backend.name,
      ready,
      launch: { ...plan, cwd: runDirOf(config, backend) },
    });
  }
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

export async function stackDown(
  config: StackConfig,
  selected: Backend[],
  log: (line: string) => void,
): Promise<void> {
  const names = selected.map((b) => b.name);
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
