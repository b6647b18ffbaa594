// The preload as users load it: diagnostics, the loaded-too-early warning, installation in
// another project, the published files, and no side effects outside the preload entry.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appEnv, preloadArgs, startApp } from '../helpers/apps';
import { repoRoot } from '../helpers/stack';

const quiet = { OTEL_TRACES_EXPORTER: 'none' };

test('OBSKIT_DIAG=1 prints the setup and each module it patches', async () => {
  const app = await startApp('hello.cjs', 'require', {
    ...quiet,
    OBSKIT_DIAG: '1',
    OTEL_SERVICE_NAME: 'diag-test',
  });
  await app.stop();
  const expressVersion = require('express/package.json').version;
  assert.deepEqual(app.stderr().trim().split('\n'), [
    'obskit: tracing diag-test to none; sampler parentbased_always_on; instrumentations http, express, grpc, mongodb, ioredis, redis, winston',
    'obskit: patched http (core module) with @opentelemetry/instrumentation-http',
    'obskit: patched http (core module) with obskit-http-server',
    `obskit: patched express ${expressVersion} with obskit-express-route`,
  ]);
});

test('a module loaded before the preload gets one warning', () => {
  const result = spawnSync(
    process.execPath,
    ['-r', 'express', ...preloadArgs('require'), '-e', ''],
    {
      cwd: repoRoot,
      env: appEnv(quiet),
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 0);
  assert.equal(
    result.stderr,
    'obskit: express was loaded before the preload and will not be traced; start the app with node -r obskit/instrumentation\n',
  );
});

test('node -r obskit/instrumentation works in a project that installed obskit', () => {
  const project = mkdtempSync(join(tmpdir(), 'obskit-user-'));
  try {
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(repoRoot, join(project, 'node_modules', 'obskit'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'their-service', version: '2.0.0' }),
    );
    writeFileSync(
      join(project, 'app.js'),
      "console.log(require('obskit').telemetryStats().spanQueueCapacity)\n",
    );
    const result = spawnSync(process.execPath, ['-r', 'obskit/instrumentation', 'app.js'], {
      cwd: project,
      env: appEnv({ OBSKIT_DIAG: '1' }),
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '2048\n');
    assert.match(
      result.stderr,
      /^obskit: tracing their-service to http:\/\/localhost:4318\/v1\/traces \(OTLP http\/protobuf\);/,
    );
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test('the published package holds the preload, the CLI and the configs, and no tests', () => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const files =
    (JSON.parse(result.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ??
    [];
  for (const path of [
    'instrumentation/index.js',
    'instrumentation/esm.mjs',
    'dist/instrumentation/preload.js',
    'dist/instrumentation/api.js',
    'dist/cli/main.js',
    'collectors/jaeger/config.yaml',
    'stack/ferretdb/go.mod',
  ]) {
    assert.ok(files.includes(path), `${path} is missing from the package`);
  }
  assert.deepEqual(
    files.filter((f) => f.startsWith('test/') || f.startsWith('dist/test/')),
    [],
  );
});

const listenersAfter = (code: string, env: NodeJS.ProcessEnv = {}) => {
  const result = spawnSync(
    process.execPath,
    [
      '-e',
      `${code}; console.log(process.listenerCount('SIGTERM'), process.listenerCount('uncaughtException'), process.listenerCount('exit'))`,
    ],
    {
      cwd: repoRoot,
      env: appEnv(env),
      encoding: 'utf8',
    },
  );
  return result.stdout.trim();
};

test('only the preload entry has side effects', () => {
  assert.equal(listenersAfter("require('./')"), '0 0 0');
  // The last flush runs at 'exit', which node also emits for an uncaught error: no listener
  // for it, so node's own handling of a crash is untouched.
  assert.equal(listenersAfter("require('./instrumentation')"), '1 0 1');
});

test('OTEL_SDK_DISABLED=true leaves the process untouched', () => {
  assert.equal(
    listenersAfter("require('./instrumentation')", { OTEL_SDK_DISABLED: 'true' }),
    '0 0 0',
  );
});

/** Threads of a process that ends a span and idles 1.5 s, with `args` and NODE_OPTIONS `nodeOptions`. */
const threadsOf = (args: string[], nodeOptions = '') => {
  const idle =
    "require('@opentelemetry/api').trace.getTracer('t').startSpan('s').end(); " +
    "setTimeout(() => console.log(require('fs').readdirSync('/proc/self/task').length), 1500)";
  const result = spawnSync(process.execPath, [...args, '-e', idle], {
    cwd: repoRoot,
    env: appEnv({ NODE_OPTIONS: nodeOptions }),
    encoding: 'utf8',
  });
  return Number(result.stdout.trim());
};

test('preloaded by NODE_OPTIONS, the export thread does not start the preload again', () => {
  const withFlag = threadsOf(preloadArgs('require'));
  assert.ok(withFlag > threadsOf([]), 'the export thread runs');
  assert.equal(threadsOf([], `--require ${join(repoRoot, 'instrumentation')}`), withFlag);
  assert.equal(
    threadsOf([], `--import ${join(repoRoot, 'instrumentation', 'esm.mjs')}`),
    threadsOf(preloadArgs('import')),
  );
});
