// Test apps run as real processes under the preload, as a user runs them.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './stack';

export const fixtures = join(repoRoot, 'test', 'fixtures', 'apps');

export type Loader = 'require' | 'import' | 'none';

export interface RunningApp {
  port: number;
  child: ChildProcess;
  /** Everything the app wrote to stderr so far. */
  stderr: () => string;
  /** Everything the app wrote to stdout so far. */
  stdout: () => string;
  /** Resolves with the exit code and signal once the app has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: (
    signal?: NodeJS.Signals,
  ) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The environment of a test app: /metrics off unless the test is about it (apps running side by
 * side would race for port 9464) and listed by the test itself, with labels of its own, and short
 * batch delays so traces arrive quickly.
 */
export const appEnv = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  OBSKIT_METRICS_PORT: '0',
  OBSKIT_METRICS_REGISTER: 'false',
  OTEL_BSP_SCHEDULE_DELAY: '200',
  ...env,
});

/** The node arguments that load the preload the documented way. */
export function preloadArgs(loader: Loader): string[] {
  if (loader === 'require') return ['-r', join(repoRoot, 'instrumentation')];
  if (loader === 'import') return ['--import', join(repoRoot, 'instrumentation', 'esm.mjs')];
  return [];
}

/** Runs a fixture app, keeping all it writes; listeners added later see the output so far. */
function spawnFixture(entry: string, loader: Loader, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...preloadArgs(loader), join(fixtures, entry)], {
    env: appEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  return { child, output };
}

/** Starts an app and waits for its `{"listening": port}` line on stdout. */
export function startApp(
  entry: string,
  loader: Loader,
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<RunningApp> {
  const { child, output } = spawnFixture(entry, loader, env);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${entry} did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstdout: ${output.stdout}\nstderr: ${output.stderr}`));
    };
    const exitedEarly = (code: number | null) =>
      fail(new Error(`${entry} exited with ${code} before listening`));
    child.on('exit', exitedEarly);
    child.stdout.on('data', () => {
      const match = /\{"listening":(\d+)\}/.exec(output.stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeListener('exit', exitedEarly);
      resolve({
        port: Number(match[1]),
        child,
        stderr: () => output.stderr,
        stdout: () => output.stdout,
        exited,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}

export interface LogWriterReport {
  written: number;
  logs: Record<string, { shipped: number; dropped: number; queued: number; capacity: number }>;
}

/**
 * Starts log-writer.cjs under the preload (RATE lines a second for DURATION_S seconds, tagged
 * test.run and test.seq); `report` resolves once it has written and shipped what it could.
 */
export function startLogWriter(run: string, env: NodeJS.ProcessEnv) {
  const { child, output } = spawnFixture('log-writer.cjs', 'require', {
    OTEL_TRACES_EXPORTER: 'none',
    RUN: run,
    ...env,
  });
  const report = new Promise<LogWriterReport>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (output.stdout.includes('\n')) resolve(JSON.parse(output.stdout) as LogWriterReport);
    });
    child.on('exit', (code) =>
      reject(new Error(`log-writer exited with ${code}: ${output.stderr}`)),
    );
  });
  return { report, stderr: () => output.stderr, stop: () => child.kill('SIGTERM') };
}
