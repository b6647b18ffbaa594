// Where the local stack keeps its cache and its run directory, the folder where apps under the
// preload list their /metrics for its Prometheus (the stack and the preload both read it), and
// the files one backend writes and another reads.

import { readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** OBSKIT_HOME. Root's home is private, and Elasticsearch runs as another user: root caches in /var. */
export function stackHome(env: Env): string {
  if (env.OBSKIT_HOME) return resolve(env.OBSKIT_HOME);
  if (process.getuid?.() === 0) return '/var/cache/obskit';
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'obskit');
}

/** OBSKIT_RUN_DIR: data, logs, pid files and rendered configs of the running backends. */
export const stackRunDir = (env: Env): string =>
  resolve(env.OBSKIT_RUN_DIR || join(stackHome(env), 'run'));

/** The file_sd folder of the stack's Prometheus (job obskit-apps, collectors/prometheus/targets). */
export const appTargetsDir = (runDir: string): string =>
  join(runDir, 'prometheus', 'config', 'targets');

/** The local Traefik's JSON access log, one object per request, which rsyslog tails. */
export const edgeAccessLog = (runDir: string): string =>
  join(runDir, 'traefik', 'data', 'access.log');

/** The pid file of a process the stack's supervisor started in `dir` (a backend: the run dir). */
export const pidFileIn = (dir: string, name: string): string => join(dir, name, 'pid');

const registrationName = /^app-(\d+)\.json$/;

/** The file an app under the preload registers itself in, named after its pid. */
export const appRegistrationFile = (runDir: string, pid: number): string =>
  join(appTargetsDir(runDir), `app-${pid}.json`);

/** The pid a registration file is named after, or undefined for any other file. */
export function registeredPid(fileName: string): number | undefined {
  const match = registrationName.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

/** Whether a process exists (one of another user's answers EPERM). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the entries of apps that were killed; a live app's entry is its own to remove. */
export function pruneDeadRegistrations(runDir: string): void {
  const dir = appTargetsDir(runDir);
  for (const name of readdirSync(dir)) {
    const pid = registeredPid(name);
    if (pid !== undefined && !processExists(pid)) rmSync(join(dir, name), { force: true });
  }
}
