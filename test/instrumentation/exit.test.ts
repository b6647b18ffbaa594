// The preload never changes how a process ends: the same exit code, the same death by signal,
// the same crash — with and without it, in real child processes.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { appEnv, fixtures, type Loader, preloadArgs, startApp } from '../helpers/apps';
import { freePort } from '../helpers/ports';

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** With /metrics on (on a port of its own), as the preload runs by default. */
const withMetrics = async () => ({ OBSKIT_METRICS_PORT: String(await freePort()) });

async function runToEnd(entry: string, loader: Loader): Promise<Ending> {
  const child = spawn(process.execPath, [...preloadArgs(loader), join(fixtures, 'exit', entry)], {
    env: appEnv(await withMetrics()),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
}

const endings = [
  { entry: 'exit-code.cjs', code: 3, stderr: '' },
  { entry: 'process-exit.cjs', code: 3, stderr: '' },
  { entry: 'uncaught.cjs', code: 1, stderr: 'Error: boom from the app' },
  { entry: 'rejection.cjs', code: 1, stderr: 'Error: rejected by the app' },
];

for (const ending of endings) {
  test(`${ending.entry} ends the same with and without the preload`, async () => {
    const [plain, required] = await Promise.all([
      runToEnd(ending.entry, 'none'),
      runToEnd(ending.entry, 'require'),
    ]);
    assert.deepEqual([plain.code, plain.signal], [ending.code, null]);
    assert.deepEqual([required.code, required.signal], [ending.code, null]);
    assert.equal(plain.stderr.includes(ending.stderr), true, plain.stderr);
    assert.equal(required.stderr.includes(ending.stderr), true, required.stderr);
  });
}

const signalled = [
  { entry: 'idle-server.cjs', signal: 'SIGTERM', expected: { code: null, signal: 'SIGTERM' } },
  { entry: 'idle-server.cjs', signal: 'SIGINT', expected: { code: null, signal: 'SIGINT' } },
  { entry: 'graceful-server.cjs', signal: 'SIGTERM', expected: { code: 0, signal: null } },
] as const;

for (const { entry, signal, expected } of signalled) {
  test(`${entry} on ${signal} ends the same with and without the preload`, async () => {
    for (const loader of ['none', 'require', 'import'] as const) {
      const app = await startApp(join('exit', entry), loader, await withMetrics());
      assert.deepEqual(await app.stop(signal), expected, `${loader}: ${app.stderr()}`);
    }
  });
}

test('a server that closes on SIGTERM ends by itself while Prometheus keeps scraping', async () => {
  const metrics = await withMetrics();
  const app = await startApp(join('exit', 'closing-server.cjs'), 'require', metrics);
  // Like Prometheus: one keep-alive connection, a scrape every second, never idle long enough
  // for the server's keep-alive timeout to close it.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const scrape = () =>
    new Promise<void>((resolve) =>
      get(
        { host: '127.0.0.1', port: Number(metrics.OBSKIT_METRICS_PORT), path: '/metrics', agent },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      ).on('error', () => resolve()),
    );
  await scrape();
  const scraper = setInterval(scrape, 1000);
  try {
    app.child.kill('SIGTERM');
    const stillRunning = new Promise((resolve) => setTimeout(resolve, 20_000, 'still running'));
    const ending = await Promise.race([app.exited, stillRunning]);
    if (ending === 'still running') app.child.kill('SIGKILL');
    assert.deepEqual(ending, { code: 0, signal: null });
  } finally {
    clearInterval(scraper);
    agent.destroy();
  }
});
