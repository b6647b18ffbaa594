// Running external commands: captured output for error messages, progress for long steps.

import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  output: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Prints "<label> … <elapsed>" every `progressEverySeconds` while the command runs. */
  progress?: { label: string; log: (line: string) => void };
}

const progressEverySeconds = 20;
const keptOutputChars = 64 * 1024;

/** Runs a command to completion; never throws for a non-zero exit, the caller decides. */
export function run(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-keptOutputChars);
    };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const ticker = options.progress
      ? setInterval(() => {
          const { label, log } = options.progress as NonNullable<RunOptions['progress']>;
          log(`  … ${label} (${formatElapsed(Date.now() - started)})`);
        }, progressEverySeconds * 1000)
      : undefined;
    const finish = (code: number) => {
      if (ticker) clearInterval(ticker);
      resolvePromise({ code, output });
    };
    child.on('error', (error) => {
      output += String(error.message);
      finish(127);
    });
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** The last non-empty lines of a command's output, for a one-screen error. */
export function lastLines(output: string, count = 3): string {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
