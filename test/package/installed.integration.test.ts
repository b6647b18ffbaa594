// The journey of a new user, on the stack `make test` runs: the checkout packed by npm pack,
// installed by npm into a fresh app of this test's own (an Express service, not the demo), then
// only `npx obskit …` and `node -r obskit/instrumentation` from there. The app lives under the
// system's temporary folder, so nothing resolves to this repository's node_modules.

import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { appRegistrationFile } from '../../common/stack-paths';
import { newTraceparent } from '../helpers/jaeger';
import { packInto } from '../helpers/package';
import { freePort } from '../helpers/ports';
import { promQuery } from '../helpers/prometheus';
import { backendsInTopology, poll, portOf, stack, uniqueId, urlOf } from '../helpers/stack';

const appDir = mkdtempSync(join(tmpdir(), 'obskit-user-app-'));
const service = uniqueId('user-app');
const started: ChildProcess[] = [];

const appSource = `const express = require('express');
const { logger } = require('obskit/logger');
const app = express();
app.get('/hello/:name', (req, res) => {
  logger.info('said hello to ' + req.params.name);
  res.json({ hello: req.params.name });
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
`;

before(() => {
  const packed = packInto(appDir);
  writeFileSync(
    join(appDir, 'package.json'),
    JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }),
  );
  writeFileSync(join(appDir, 'app.js'), appSource);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', `./${packed.filename}`, 'express@5'], {
    cwd: appDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
});

after(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(appDir, { recursive: true, force: true });
});

/** `npx obskit …` in the user's app, as the README tells them to run it. */
function npxObskit(args: string[]) {
  const result = spawnSync('npx', ['obskit', ...args], { cwd: appDir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const noStackTrace = (output: string) => !/^\s+at .+:\d+:\d+\)?$/m.test(output);

/** The user's app under the installed preload, its /metrics on a port of its own. */
async function startUserApp(metricsPort: number): Promise<{ child: ChildProcess; port: number }> {
  const { OBSKIT_METRICS_REGISTER: _off, ...env } = process.env;
  const child = spawn(process.execPath, ['-r', 'obskit/instrumentation', 'app.js'], {
    cwd: appDir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...env,
      OTEL_SERVICE_NAME: service,
      OBSKIT_METRICS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: urlOf('jaeger', '', 'otlp-http'),
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OBSKIT_LOG_TRANSPORTS: 'syslog',
      OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
    },
  });
  started.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk)).listening));
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return { child, port };
}

interface ScrapeTarget {
  labels: Record<string, string>;
  health: string;
}

/** The stack's Prometheus targets of the user's service. */
async function targetsOfService(): Promise<ScrapeTarget[]> {
  const answer = (await (await fetch(urlOf('prometheus', '/api/v1/targets'))).json()) as {
    data: { activeTargets: ScrapeTarget[] };
  };
  return answer.data.activeTargets.filter((t) => t.labels.service === service);
}

const exited = (child: ChildProcess) =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(0) : child.once('exit', resolve)));

test('npx obskit --help, and --help after every command, exit 0 from the installed package', () => {
  for (const args of [[], ['stack'], ['stack', 'install'], ['trace'], ['slo'], ['dashboards']]) {
    const result = npxObskit([...args, '--help']);
    assert.equal(result.code, 0, `${args.join(' ')} --help: ${result.stderr}`);
    assert.match(result.stdout, /^usage: obskit <command>/);
  }
  for (const args of [['dash'], ['logs', 'search'], ['demo'], ['stack', 'status']]) {
    const result = npxObskit([...args, '--help']);
    assert.equal(result.code, 0, result.stderr);
  }
});

test('npx obskit stack status sees the running stack, every backend healthy', () => {
  const result = npxObskit(['stack', 'status', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as { name: string; healthy: boolean }[];
  assert.deepEqual(
    rows.filter((row) => !row.healthy).map((row) => row.name),
    [],
  );
  assert.equal(rows.length, backendsInTopology.length);
});

test('the user app: traced and logged by trace ID, scraped without a config edit, on the dashboards', async () => {
  const metricsPort = await freePort();
  const startedAt = Date.now();
  const app = await startUserApp(metricsPort);
  await poll(
    'the user app among Prometheus targets',
    async () => ((await targetsOfService()).length === 1 ? true : undefined),
    15_000,
  );
  const discoveredMs = Date.now() - startedAt;
  const [target] = await targetsOfService();
  assert.equal(target?.labels.job, 'obskit-apps');
  assert.equal(target?.labels.instance, `127.0.0.1:${metricsPort}`);
  assert.ok(discoveredMs < 15_000, `discovered after ${discoveredMs} ms`);

  const { traceId, header } = newTraceparent();
  const answer = await fetch(`http://127.0.0.1:${app.port}/hello/ada`, {
    headers: { traceparent: header },
  });
  assert.equal(answer.status, 200);
  for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${app.port}/hello/n${i}`);

  const shown = await poll(
    'npx obskit trace with the span and its log line',
    async () => {
      const result = npxObskit(['trace', traceId]);
      return result.code === 0 && /said hello to ada/.test(result.stdout) ? result : undefined;
    },
    60_000,
  );
  assert.match(shown.stdout, new RegExp(`${service}: GET /hello/:name \\(server\\)`));
  assert.match(shown.stdout, new RegExp(`info +${service}: said hello to ada$`, 'm'));

  await poll(
    'the app scraped, up 1 with its request count',
    async () => {
      const [count] = await promQuery(
        `sum(http_server_request_duration_seconds_count{job="obskit-apps", service="${service}"})`,
      );
      return Number(count?.value[1]) === 21 ? true : undefined;
    },
    30_000,
  );
  const dash = await poll(
    'the app on npx obskit dash services-overview',
    async () => {
      const result = npxObskit([
        'dash',
        'services-overview',
        '--once',
        '--json',
        '--var',
        `service=${service}`,
        '--range',
        '5m',
      ]);
      const frame = JSON.parse(result.stdout) as {
        panels: { title: string; series?: { name: string }[] }[];
      };
      const requestPanels = frame.panels.filter((p) => p.title.startsWith('HTTP requests'));
      const drawn = requestPanels.filter((p) => (p.series?.length ?? 0) > 0);
      return requestPanels.length === 3 && drawn.length === 3 ? frame : undefined;
    },
    60_000,
  );
  const names = dash.panels.flatMap((p) => p.series?.map((s) => s.name) ?? []);
  assert.ok(names.length > 0 && names.every((name) => name.startsWith(service)), names.join(', '));

  app.child.kill('SIGTERM');
  await exited(app.child);
  assert.equal(existsSync(appRegistrationFile(stack.runDir, app.child.pid as number)), false);
  await poll(
    'the stopped app gone from the targets',
    async () => ((await targetsOfService()).length === 0 ? true : undefined),
    30_000,
  );
});

test('npx obskit slo check and dashboards check pass from the installed package', () => {
  for (const args of [
    ['slo', 'check'],
    ['dashboards', 'check'],
  ]) {
    const result = npxObskit(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.ok(noStackTrace(result.stderr), result.stderr);
  }
});

test('a killed user app stays a target, and TargetDown fires for it', async () => {
  const app = await startUserApp(await freePort());
  const file = appRegistrationFile(stack.runDir, app.child.pid as number);
  after(() => rmSync(file, { force: true }));
  await poll(
    'the app scraped',
    async () => ((await targetsOfService()).some((t) => t.health === 'up') ? true : undefined),
    30_000,
  );
  app.child.kill('SIGKILL');
  await exited(app.child);
  assert.equal(existsSync(file), true);
  const firing = await poll(
    'TargetDown firing for the killed app',
    async () => {
      const alerts = await promQuery(
        `ALERTS{alertname="TargetDown", alertstate="firing", service="${service}"}`,
      );
      return alerts.length === 1 ? alerts[0] : undefined;
    },
    150_000,
  );
  assert.equal(firing.metric.job, 'obskit-apps');
});
