// Shared by the integration tests: where the running stack listens, polling, and the CLI.

import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { localStackConfig } from '../../stack/local-stack';
import { backendPortOf } from '../../stack/ports';

export const stack = localStackConfig();
export const repoRoot = stack.packageRoot;

/** The backends the running stack runs (one of another topology only has no member here). */
export const backendsInTopology = stack.backends.filter((backend) => backend.members.length > 0);

/** A backend's port as the running stack resolved it (env overrides included). */
export const portOf = (backend: string, portName?: string) =>
  backendPortOf(stack, backend, portName);

export const urlOf = (backend: string, path = '', portName?: string) =>
  `http://127.0.0.1:${portOf(backend, portName)}${path}`;

/** Calls `attempt` until it returns a value other than undefined, or fails at the deadline. */
export async function poll<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  deadlineMs = 30_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${deadlineMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
  );
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const cliArgs = (args: string[]) => [join(repoRoot, 'dist', 'cli', 'main.js'), ...args];
const cliOptions = (env: NodeJS.ProcessEnv) => ({
  env: { ...process.env, ...env },
  encoding: 'utf8' as const,
  timeout: 300_000,
});

/** Runs the built obskit CLI as a user would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, cliArgs(args), cliOptions(env));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same without blocking the event loop, for a test that serves what the CLI calls. */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, cliArgs(args), cliOptions(env), (_, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** `obskit stack <verb> --only <names>`, failing on a non-zero exit. */
export function stackOnly(verb: 'up' | 'down', names: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = runCli(['stack', verb, '--only', ...names], env);
  if (result.code !== 0)
    throw new Error(`obskit stack ${verb} --only ${names.join(' ')}: ${result.stderr}`);
}

/** Jaeger stopped and started again, on the store `env` chooses (Elasticsearch unless told). */
export function restartJaeger(env: NodeJS.ProcessEnv = {}): void {
  stackOnly('down', ['jaeger']);
  stackOnly('up', ['jaeger'], env);
}

let uniqueCount = 0;
export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++uniqueCount}`;
