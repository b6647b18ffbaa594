// Backend processes: started detached in their own process group, tracked by pid files that
// also record the start time, so `down` never signals a recycled pid or anything it did not start.

import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { waitFor } from './health';

export interface StartSpec {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user: setpriv execs in place, so the pid stays the backend's own. */
  user?: string;
  logFile: string;
  pidFile: string;
}

interface PidRecord {
  pid: number;
  startTime: string;
}

/** The fields of /proc/<pid>/stat after the command name: [0] state, [2] pgid, [19] start time. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const isLive = (fields: string[] | undefined): fields is string[] =>
  fields !== undefined && fields[0] !== 'Z';

/** Whether a process exists and is not a zombie. */
export const isAlive = (pid: number) => isLive(statFields(pid));

/** Live processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const fields = statFields(entry);
      return isLive(fields) && Number(fields[2]) === pgid;
    })
    .map(Number);
}

function readPidRecord(pidFile: string): PidRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    return JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** The pid of the process this pid file started, if it is still that process. */
export function runningPid(pidFile: string): number | undefined {
  const record = readPidRecord(pidFile);
  if (!record) return undefined;
  const fields = statFields(record.pid);
  return isLive(fields) && fields[19] === record.startTime ? record.pid : undefined;
}

/** A log file past this size is set aside at the next start, as `<file>.1`. */
const logRotateBytes = 10 * 1024 * 1024;

/** Keeps a process's log to the size above plus one earlier file, whatever the number of runs. */
function rotateLog(logFile: string): void {
  const size = statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
  if (size > logRotateBytes) renameSync(logFile, `${logFile}.1`);
}

export function startProcess(spec: StartSpec): number {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  rotateLog(spec.logFile);
  const log = openSync(spec.logFile, 'a');
  const [command, args] = spec.user
    ? [
        'setpriv',
        [
          '--reuid',
          spec.user,
          '--regid',
          spec.user,
          '--clear-groups',
          '--',
          spec.command,
          ...spec.args,
        ],
      ]
    : [spec.command, spec.args];
  const child = spawn(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  writeFileSync(spec.pidFile, JSON.stringify({ pid, startTime: statFields(pid)?.[19] ?? '' }));
  return pid;
}

/**
 * Waits until each started process is ready or has exited, whichever comes first, and returns
 * those that are not ready: a process that died is reported at once, not at the deadline.
 */
export async function notReady<T>(
  started: readonly T[],
  isReady: (item: T) => Promise<boolean>,
  pidFileOf: (item: T) => string,
  deadlineMs: number,
): Promise<T[]> {
  const ready = await Promise.all(
    started.map(async (item) => {
      const settled = async () =>
        (await isReady(item)) || runningPid(pidFileOf(item)) === undefined;
      await waitFor(settled, deadlineMs);
      return isReady(item);
    }),
  );
  return started.filter((_, i) => !ready[i]);
}

/** The last lines of a process's log file; none when it has no log yet. */
export function logTail(logFile: string, count: number): string[] {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').filter(Boolean).slice(-count);
  } catch {
    return [];
  }
}

/**
 * Stops the process group a pid file names: SIGTERM to every member (Elasticsearch's server JVM
 * included), then SIGKILL to whatever is left after the grace period.
 */
export async function stopProcess(pidFile: string, graceMs = 20_000): Promise<number | undefined> {
  const pid = runningPid(pidFile);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    await waitUntilEmpty(pid, graceMs);
    signalGroup(pid, 'SIGKILL');
    await waitUntilEmpty(pid, 5_000);
  }
  rmSync(pidFile, { force: true });
  return pid;
}

async function waitUntilEmpty(pgid: number, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (groupMembers(pgid).length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
