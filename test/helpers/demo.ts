// `obskit demo` run as a newcomer runs it, for the tests that need the demo's data.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { poll, repoRoot } from './stack';

export function startDemo(loadSeconds: number, rate: number, env: NodeJS.ProcessEnv = {}) {
  const args = ['demo', '--duration', String(loadSeconds), '--rate', String(rate)];
  const demo = spawn(process.execPath, [join(repoRoot, 'dist', 'cli', 'main.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  demo.stdout?.on('data', collect);
  demo.stderr?.on('data', collect);
  return {
    process: demo,
    output: () => output,
    /** Resolves once the demo has printed a line matching `pattern`. */
    waitFor: (what: string, pattern: RegExp, deadlineMs: number) =>
      poll(what, async () => (pattern.test(output) ? true : undefined), deadlineMs).catch(
        (error: Error) => {
          // What the demo said is what tells why it did not get there.
          throw new Error(`${error.message}; the demo printed:\n${output.slice(-3000)}`);
        },
      ),
    /** Ctrl-C, and its exit code. */
    stop: async (): Promise<number | null> => {
      if (demo.exitCode !== null) return demo.exitCode;
      const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
      demo.kill('SIGINT');
      return exited;
    },
  };
}
