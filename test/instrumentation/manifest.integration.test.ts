// The metrics manifest against reality: every metric it lists is exported by real instrumented
// services under load, and every metric an alert rule uses is in it (a rename fails here).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { knownBackendMetrics } from '../../dashboards/grafana/src/backend-metrics';
import { demoMetrics } from '../../demo-services/metric-specs';
import { manifest } from '../../instrumentation/metrics/manifest';
import { type RunningApp, startApp } from '../helpers/apps';
import { dropDatabase, entityServiceEnv, seedEntity } from '../helpers/entities';
import { freePort } from '../helpers/ports';
import { familyOf, metricNames, prometheusRules } from '../helpers/promql';
import { poll, portOf, uniqueId } from '../helpers/stack';

const apps: RunningApp[] = [];
let urls: string[] = [];
const metricsPorts: number[] = [];
const database = `obskit_${uniqueId('manifest').replaceAll('-', '_')}`;

async function startWithMetrics(entry: string, env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const port = await freePort();
  metricsPorts.push(port);
  const app = await startApp(entry, 'require', {
    ...env,
    OTEL_TRACES_EXPORTER: 'none',
    OBSKIT_METRICS_PORT: String(port),
  });
  apps.push(app);
  return app;
}

before(async () => {
  await seedEntity(database, { _id: 'e1', owner: 'o', data: 'd' });
  const hello = await startWithMetrics('hello.cjs', {});
  const entity = await startWithMetrics('entity-service.cjs', entityServiceEnv(database));
  const gateway = await startWithMetrics('gateway.cjs', {
    ENTITY_SERVICE_ADDRESS: `127.0.0.1:${entity.port}`,
  });
  // The obskit logger shipping over syslog: the log pipeline's metrics.
  await startWithMetrics('logging.cjs', {
    OBSKIT_LOG_TRANSPORTS: 'syslog',
    OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
  });
  urls = [
    `http://127.0.0.1:${hello.port}/outbound`,
    `http://127.0.0.1:${gateway.port}/entities/e1`,
  ];
});

after(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await dropDatabase(database);
});

/** Family names that have at least one sample, across every app's /metrics. */
async function exportedFamilies(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const port of metricsPorts) {
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of body.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const sample = line.slice(0, line.search(/[{ ]/));
      names.add(sample.replace(/_(bucket|sum|count)$/, ''));
    }
  }
  return names;
}

async function load(requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    for (const url of urls) {
      const response = await fetch(url, { headers: { 'x-owner': 'o' } });
      assert.equal(response.status, 200, url);
      await response.text();
    }
  }
}

test('every metric of the manifest is exported, with samples, by the instrumented services', async () => {
  // The demo's own metrics (demo-services/metric-specs.ts) need etcd: discovery's test reads them.
  const names = manifest.map((m) => m.name);
  // Load until every family has samples: garbage collections come when they come.
  const missing = await poll('samples of every manifest metric', async () => {
    await load(100);
    const exported = await exportedFamilies();
    const left = names.filter((name) => !exported.has(name));
    return left.length === 0 ? left : undefined;
  });
  assert.deepEqual(missing, []);
});

test('every metric an alert rule uses is in the manifest or a backend’s own', () => {
  const known = new Set(
    [...manifest, ...Object.values(demoMetrics), ...knownBackendMetrics].map((m) => m.name),
  );
  const used = new Set<string>();
  const recorded = new Set<string>();
  for (const rule of prometheusRules()) {
    if (rule.record) recorded.add(rule.record);
    for (const name of metricNames(rule.expr)) used.add(name);
  }
  const outside = [...used]
    .map(familyOf)
    .filter((name) => name !== 'up' && !recorded.has(name) && !known.has(name));
  assert.ok(used.size >= 8, `found only ${[...used].join(', ')}`);
  assert.deepEqual(outside, []);
});
