// The preload's registration with a local stack's Prometheus, in a run directory of the test's
// own (a pid file naming this test's process stands in for Prometheus): written once /metrics
// listens, removed at a normal exit, never written without a stack or when turned off.

import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appRegistrationFile, appTargetsDir, pidFileIn } from '../../common/stack-paths';
import { startApp } from '../helpers/apps';
import { freePort } from '../helpers/ports';
import { poll } from '../helpers/stack';

function runDirWith(prometheusPid: number | undefined): string {
  const runDir = mkdtempSync(join(tmpdir(), 'obskit-registration-'));
  mkdirSync(appTargetsDir(runDir), { recursive: true });
  if (prometheusPid !== undefined) {
    mkdirSync(join(runDir, 'prometheus'), { recursive: true });
    writeFileSync(pidFileIn(runDir, 'prometheus'), JSON.stringify({ pid: prometheusPid }));
  }
  return runDir;
}

const start = async (runDir: string, env: NodeJS.ProcessEnv = {}) => {
  const metricsPort = await freePort();
  const app = await startApp('hello.cjs', 'require', {
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_SERVICE_NAME: 'registered-app',
    OBSKIT_METRICS_PORT: String(metricsPort),
    OBSKIT_METRICS_REGISTER: 'true',
    OBSKIT_RUN_DIR: runDir,
    ...env,
  });
  return { app, metricsPort, file: appRegistrationFile(runDir, app.child.pid as number) };
};

test('registered while it runs, with its service label; removed at SIGTERM; killed apps pruned', async (t) => {
  const runDir = runDirWith(process.pid);
  t.after(() => rmSync(runDir, { recursive: true, force: true }));
  const dead = join(appTargetsDir(runDir), 'app-999999999.json');
  const other = join(appTargetsDir(runDir), 'obskit-demo.json');
  writeFileSync(dead, '[]');
  writeFileSync(other, '[]');
  const { app, metricsPort, file } = await start(runDir);
  const entry = await poll('the registration file', async () =>
    existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined,
  );
  assert.deepEqual(entry, [
    { targets: [`127.0.0.1:${metricsPort}`], labels: { service: 'registered-app' } },
  ]);
  assert.equal(existsSync(dead), false, 'the entry of a process that is gone is pruned');
  assert.equal(existsSync(other), true, 'files of others are left alone');
  assert.deepEqual(await app.stop('SIGTERM'), { code: null, signal: 'SIGTERM' });
  assert.equal(existsSync(file), false);
});

for (const [name, runDir, env] of [
  ['no local stack runs', () => runDirWith(undefined), {}],
  ['its Prometheus is gone', () => runDirWith(999_999_999), {}],
  [
    'OBSKIT_METRICS_REGISTER=false',
    () => runDirWith(process.pid),
    { OBSKIT_METRICS_REGISTER: 'false' },
  ],
] as const) {
  test(`nothing is written when ${name}`, async (t) => {
    const dir = runDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { app, metricsPort } = await start(dir, env);
    // Once /metrics answers, the registration would have been written.
    await poll('/metrics', async () =>
      (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok ? true : undefined,
    );
    await app.stop();
    assert.deepEqual(readdirSync(appTargetsDir(dir)), []);
  });
}
