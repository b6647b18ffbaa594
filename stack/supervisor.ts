// The process supervisor that the stack and the demo share: a named process keeps its pid file
// and its log in <dir>/<name>/; its ports are checked before anything starts; it is started and
// waited for until ready; and it is stopped in waves, so that an order can be kept.

import { join } from 'node:path';
import { obskitError } from '../common/errors';
import { pidFileIn } from '../common/stack-paths';
import { portFree } from './ports';
import {
  logTail,
  notReady,
  runningPid,
  type StartSpec,
  startProcess,
  stopProcess,
} from './processes';

/** The log of the process `name` started in `dir`. */
export const logFileIn = (dir: string, name: string): string => join(dir, name, `${name}.log`);

/** The pid of the process `name` started in `dir`, if that process still runs. */
export const runningPidIn = (dir: string, name: string): number | undefined =>
  runningPid(pidFileIn(dir, name));

/** A port a process will bind: who takes it and the variable that moves it. */
export interface PortClaim {
  port: number;
  owner: string;
  env: string;
}

/** Fails, before anything starts, on the first port that is taken, naming it and its variable. */
export async function checkPortsFree(claims: readonly PortClaim[]): Promise<void> {
  for (const { port, owner, env } of claims) {
    if (!(await portFree(port))) throw obskitError('OBSKIT_E_PORT_TAKEN', port, owner, env);
  }
}

export interface Supervised {
  name: string;
  /** How to start it; a process without one is only waited for (it already runs). */
  launch?: Omit<StartSpec, 'logFile' | 'pidFile'>;
  ready(): Promise<boolean>;
}

export interface NotReady {
  name: string;
  /** The last lines of its log. */
  tail: string[];
}

/**
 * Starts every process that has a launch, then waits until each is ready or has exited, and
 * returns those that are not ready with the last `tailLines` lines of their logs.
 */
export async function startAndWait(
  dir: string,
  processes: readonly Supervised[],
  options: { deadlineMs: number; tailLines: number; onStarted?: (name: string) => void },
): Promise<NotReady[]> {
  for (const { name, launch } of processes) {
    if (!launch) continue;
    startProcess({ ...launch, logFile: logFileIn(dir, name), pidFile: pidFileIn(dir, name) });
    options.onStarted?.(name);
  }
  const failed = await notReady(
    processes,
    (p) => p.ready(),
    (p) => pidFileIn(dir, p.name),
    options.deadlineMs,
  );
  return failed.map(({ name }) => ({
    name,
    tail: logTail(logFileIn(dir, name), options.tailLines),
  }));
}

/**
 * Stops the named processes of `dir` one wave after the other, each wave's together, and says
 * which it stopped; returns how many were running.
 */
export async function stopInWaves(
  dir: string,
  waves: readonly (readonly string[])[],
  log: (line: string) => void,
  graceMs?: number,
): Promise<number> {
  let stopped = 0;
  for (const wave of waves) {
    const pids = await Promise.all(
      wave.map(async (name) => {
        const pid = await stopProcess(pidFileIn(dir, name), graceMs);
        if (pid !== undefined) log(`stopped ${name} (pid ${pid})`);
        return pid;
      }),
    );
    stopped += pids.filter((pid) => pid !== undefined).length;
  }
  return stopped;
}
