// `obskit stack up | down | status`: start, stop and report the local backends.

import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../common/errors';
import { backendPidFile } from '../common/stack-paths';
import { run } from './exec';
import { isInstalled } from './install';
import { findJavaHome } from './install/maven';
import { launchPlan, probeOf } from './launch';
import { runDirOf } from './paths';
import { portFree } from './ports';
import { logTail, notReady, runningPid, startProcess, stopProcess } from './processes';
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

const pidFileOf = (config: StackConfig, backend: Backend) =>
  backendPidFile(config.runDir, backend.name);
const logFileOf = (config: StackConfig, backend: Backend) =>
  join(runDirOf(config, backend), `${backend.name}.log`);

export async function statusOf(config: StackConfig, backend: Backend): Promise<BackendStatus> {
  const probe = probeOf(backend);
  const pid = runningPid(pidFileOf(config, backend)) ?? null;
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
  return config.backends.filter((b) => runningPid(pidFileOf(config, b)) !== undefined);
}

/** Fails, before anything starts, on a backend that is missing or whose port is taken. */
async function checkCanStart(config: StackConfig, toStart: Backend[]): Promise<void> {
  for (const backend of toStart) {
    if (!(await isInstalled(config, backend)))
      throw obskitError('OBSKIT_E_NOT_INSTALLED', backend.name);
    for (const port of backend.resolvedPorts) {
      if (!(await portFree(port.port)))
        throw obskitError('OBSKIT_E_PORT_TAKEN', port.port, backend.name, port.env);
    }
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
    await startAndWait(config, wave, toStart, javaHome, deadlineMs, log);
    for (const backend of wave) await backend.ready?.(config, backend, log);
  }
  return Promise.all(selected.map((b) => statusOf(config, b)));
}

/** Starts those of `backends` that are in `toStart`, then waits until all are healthy. */
async function startAndWait(
  config: StackConfig,
  backends: Backend[],
  toStart: Backend[],
  javaHome: string | undefined,
  deadlineMs: number,
  log: (line: string) => void,
): Promise<void> {
  for (const backend of backends.filter((b) => toStart.includes(b))) {
    const plan = launchPlan(config, backend, javaHome);
    if (plan.user) await handTo(plan.user, plan.writableDirs);
    startProcess({
      ...plan,
      cwd: runDirOf(config, backend),
      logFile: logFileOf(config, backend),
      pidFile: pidFileOf(config, backend),
    });
    log(`started ${backend.name}`);
  }
  const healthy = async (b: Backend) => (await statusOf(config, b)).healthy;
  const failed = await notReady(backends, healthy, (b) => pidFileOf(config, b), deadlineMs);
  if (failed.length > 0) {
    for (const b of failed) log(`${b.name} log tail:\n${tail(logFileOf(config, b))}`);
    throw obskitError('OBSKIT_E_UNHEALTHY', failed.map((b) => b.name).join(', '), config.runDir);
  }
}

export async function stackDown(
  config: StackConfig,
  selected: Backend[],
  log: (line: string) => void,
): Promise<void> {
  const stopped = await Promise.all(
    selected.map(async (backend) => {
      const pid = await stopProcess(pidFileOf(config, backend));
      if (pid !== undefined) log(`stopped ${backend.name} (pid ${pid})`);
      return pid;
    }),
  );
  if (stopped.every((pid) => pid === undefined)) log('nothing was running');
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

function tail(file: string): string {
  const lines = logTail(file, 5);
  return lines.length > 0 ? lines.map((l) => `  ${l}`).join('\n') : '  (no log)';
}
