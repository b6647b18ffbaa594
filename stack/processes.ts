// Backend processes: started detached in their own process group, tracked by pid files that
// also record the start time, so `down` never signals a recycled pid or anything it did not start.

import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

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

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
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
  const state = startTimeOf(record.pid);
  return state !== undefined && state === record.startTime && !isZombie(record.pid)
    ? record.pid
    : undefined;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function startProcess(spec: StartSpec): number {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
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
  writeFileSync(spec.pidFile, JSON.stringify({ pid, startTime: startTimeOf(pid) ?? '' }));
  return pid;
}

/** Stops the process group a pid file names: SIGTERM, then SIGKILL after the grace period. */
export async function stopProcess(pidFile: string, graceMs = 20_000): Promise<number | undefined> {
  const pid = runningPid(pidFile);
  if (pid !== undefined) {
    signalGroup(pid, 'SIGTERM');
    const end = Date.now() + graceMs;
    while (runningPid(pidFile) !== undefined && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Whatever is left of the group (a forked child included) does not outlive `down`.
    signalGroup(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
  return pid;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
