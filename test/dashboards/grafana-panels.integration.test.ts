// Every panel of every Grafana dashboard on the demo's real data: a minute of `obskit demo` with
// one call in five failing in the entity service (after the SLO records are seen without an
// error), then each target, variables resolved as Grafana resolves them, run against the
// stack's Prometheus, Elasticsearch and Jaeger; last a replica killed, its TargetDown and its
// restart found by the annotation queries. Grafana itself cannot run here: this proves the
// queries, not Grafana's drawing of them.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { TimeRange } from '../../clients/grafana/model';
import type { TargetResult } from '../../clients/grafana/targets';
import { resolveVariables } from '../../clients/grafana/variables';
import { windows } from '../../collectors/prometheus/src/slo';
import { uids } from '../../common/dashboard-ids';
import { demoPlan } from '../../demo-services/launch/plan';
import { startDemo } from '../helpers/demo';
import {
  committedDashboards,
  killAndRestartReplica,
  resultsFor,
  stackBackends,
} from '../helpers/grafana';
import { fetchTrace } from '../helpers/jaeger';
import { promQuery } from '../helpers/prometheus';
import { prometheusRules } from '../helpers/promql';
import { poll, stack } from '../helpers/stack';

const loadSeconds = 60;
const backends = stackBackends();
let demo: ReturnType<typeof startDemo>;
let range: TimeRange;
/** Each SLO window ratio of the gateway, as first seen within a minute, before any error. */
const sloFirstSeen: Record<string, string> = {};
before(async () => {
  // The demo's load goes through Traefik to the gateway, which finds the replicas in etcd.
  demo = startDemo(loadSeconds, 20);
  await demo.waitFor('the demo services started', /started entity-service-1/, 120_000);
  const start = Date.now();
  // The generated rules' own expressions: the running stack may have loaded older copies.
  const records = prometheusRules().filter((r) =>
    /^slo:http_\w+_bad:ratio_rate\d+[mhd]$/.test(r.record ?? ''),
  );
  await poll(
    'every SLO window ratio of the gateway',
    async () => {
      for (const { record, expr } of records) {
        const [sample] = await promQuery(expr);
        if (sample && record) sloFirstSeen[record] = sample.value[1];
      }
      return Object.keys(sloFirstSeen).length === records.length ? true : undefined;
    },
    60_000,
  ).catch(() => undefined);
  // Errors for the error panels, gRPC failures that the gateway answers with 5xx.
  const faults = { 'entity-service': { latencyMs: 0, errorRate: 0.2, outage: '' } };
  writeFileSync(demoPlan(stack, 2).faultsFile, `${JSON.stringify(faults)}\n`);
  await demo.waitFor('the load done', /\(done\)/, (loadSeconds + 30) * 1000);
  range = { fromMs: start, toMs: Date.now() };
});

after(async () => {
  assert.equal(await demo.stop(), 0);
});

test('$service lists every demo service', async () => {
  const [overview] = committedDashboards().filter((d) => d.uid === 'obskit-services-overview');
  const selections = await resolveVariables(overview as never, backends, range);
  assert.deepEqual(selections.service?.values, ['entity-service', 'gateway', 'load-generator']);
});

/**
 * Every target of the dashboard titled `title`, over the run. A dashboard about one service
 * runs for each demo service: a target is empty when it is for all of them.
 */
async function resultsOf(title: string) {
  const dashboard = committedDashboards().find((d) => d.title === title);
  const single = dashboard?.templating?.list?.some((v) => v.name === 'service' && !v.multi);
  if (!single) return resultsFor(title, {}, range);
  const runs = await Promise.all(
    ['gateway', 'entity-service', 'load-generator'].map((service) =>
      resultsFor(title, { service }, range),
    ),
  );
  const drawn = (r: TargetResult) => r.found > 0 && (r.exemplarTraceIds?.length ?? 1) > 0;
  return (runs[0] ?? []).map((r, i) => runs.map((run) => run[i] as TargetResult).find(drawn) ?? r);
}

/** The highest point of the rows labelled so; a point with no requests (0/0, NaN) is a gap. */
const highest = (rows: unknown[], label: string, value: string) =>
  Math.max(
    ...(rows as { metric: Record<string, string>; values: [number, string][] }[])
      .filter((row) => row.metric[label] === value)
      .flatMap((row) => row.values.map(([, v]) => Number(v)))
      .filter((v) => !Number.isNaN(v)),
  );

test('the error panels show the failures of the run: gRPC calls in the entity service, 5xx in the gateway', async () => {
  const results = await resultsOf('obskit / Services overview');
  const errors = (panel: string) => results.find((r) => r.panel === panel)?.rows ?? [];
  // One call in five fails: over 40 s windows the ratio stays near 0.2.
  const grpc = highest(errors('gRPC calls errors'), 'service', 'entity-service');
  const http = highest(errors('HTTP requests errors'), 'service', 'gateway');
  assert.ok(grpc > 0.1 && grpc < 0.4, `entity-service gRPC error ratio peaked at ${grpc}`);
  assert.ok(http > 0.1, `gateway 5xx ratio peaked at ${http}`);
});

test('every panel that shows exemplars gets some, and their trace IDs are in Jaeger', async () => {
  const results = (await resultsOf('obskit / Service detail')).concat(
    await resultsOf('obskit / Services overview'),
  );
  const withExemplars = results.filter((r) => r.exemplarTraceIds !== undefined);
  assert.ok(withExemplars.length >= 10, `only ${withExemplars.length}`);
  assert.deepEqual(
    withExemplars
      .filter((r) => r.exemplarTraceIds?.length === 0)
      .map((r) => `${r.panel} ${r.refId}`),
    [],
  );
  const sample = withExemplars.map((r) => r.exemplarTraceIds?.[0] as string);
  for (const traceId of new Set(sample))
    assert.equal((await fetchTrace(traceId, 1)).traceID, traceId);
});

// On a fresh stack no 5xx is in any window yet: the ratios are there all the same (0), and
// never NaN; promtool's tests (collectors/prometheus/tests/slo.test.yml) pin the values.
test('the SLO ratios of every window exist within the first minute, before any injected error', () => {
  const values = Object.entries(sloFirstSeen);
  // The alert windows and the 30-day period, of both SLOs.
  assert.equal(values.length, 2 * (windows.length + 1), JSON.stringify(sloFirstSeen));
  assert.deepEqual(
    values.filter(([, v]) => !Number.isFinite(Number(v))),
    [],
  );
});

test('the routes table lists every gateway route with a rate, a 5xx share and a p99', async () => {
  const results = await resultsFor('obskit / Service detail', { service: 'gateway' }, range);
  const columns = results.filter((r) => r.panel === 'Routes: rate, 5xx share and p99');
  assert.deepEqual(
    columns.map((c) => c.refId),
    ['A', 'B', 'C'],
  );
  const rangeS = Math.round((range.toMs - range.fromMs) / 1000);
  const served = await promQuery(
    `sum by (http_request_method, http_route) (increase(http_server_request_duration_seconds_count{service="gateway"}[${rangeS}s])) > ${rangeS / 60}`,
  );
  const key = (m: Record<string, string>) => `${m.http_request_method} ${m.http_route}`;
  const routes = served.map((s) => key(s.metric)).sort();
  assert.ok(routes.length >= 2, `gateway routes: ${routes}`);
  for (const column of columns) {
    const rows = column.rows as { metric: Record<string, string>; value: [number, string] }[];
    assert.deepEqual(rows.map((r) => key(r.metric)).sort(), routes, column.refId);
    assert.deepEqual(
      rows.filter((r) => !Number.isFinite(Number(r.value[1]))).map((r) => key(r.metric)),
      [],
      `${column.refId} has empty cells`,
    );
  }
});

test('the latency heatmap has buckets and exemplars', async () => {
  const results = await resultsFor('obskit / Service detail', { service: 'gateway' }, range);
  const heatmap = results.find((r) => r.panel === 'HTTP latency heatmap');
  const rows = (heatmap?.rows ?? []) as { metric: { le: string } }[];
  const buckets = new Set(rows.map((r) => r.metric.le));
  assert.ok(buckets.size >= 3, `buckets: ${[...buckets]}`);
  assert.ok((heatmap?.exemplarTraceIds?.length ?? 0) > 0, 'no exemplar');
});

// The cluster dashboard's series exist in the cluster topology only: its panels are proven on
// the cluster (test/dashboards/cluster-panels.integration.test.ts).
for (const { title } of committedDashboards().filter((d) => d.uid !== uids.cluster)) {
  test(`${title}: every target of every panel returns data`, async () => {
    let empty = ['no answer: the backends were never reached'];
    // Logs and spans reach their stores a few seconds after the load: poll for the last ones.
    await poll(
      'data in every panel',
      async () => {
        const results = await resultsOf(title);
        assert.ok(results.length >= 4, `only ${results.length} targets`);
        empty = results
          .filter((r) => r.found === 0)
          .map((r) => `${r.panel} [${r.refId}, ${r.datasource}]: ${r.query}`);
        return empty.length === 0 ? true : undefined;
      },
      60_000,
    ).catch(() => undefined);
    assert.deepEqual(empty, []);
  });
}

test('the annotation queries find the TargetDown of a replica killed and its restart', async () => {
  const { instance, from } = await killAndRestartReplica(demoPlan(stack, 2));
  type Row = { metric: Record<string, string>; values: [number, string][] };
  let found = { alerts: [] as string[], starts: [] as string[] };
  // The new start time is in a range query once a step of the range falls after its scrape.
  await poll(
    'the alert and both start times in the annotation queries',
    async () => {
      const annotations = await resultsFor(
        'obskit / Service detail',
        { annotations: true, service: 'entity-service' },
        { fromMs: from, toMs: Date.now() },
      );
      const rows = (name: string) =>
        ((annotations.find((r) => r.panel === name)?.rows ?? []) as Row[]).filter(
          (r) => r.metric.instance === instance,
        );
      found = {
        alerts: rows('Alerts firing').map((r) => r.metric.alertname ?? ''),
        starts: [...new Set(rows('Restarts').flatMap((r) => r.values.map(([, v]) => v)))],
      };
      return found.alerts.length > 0 && found.starts.length >= 2 ? true : undefined;
    },
    30_000,
  ).catch(() => undefined);
  assert.deepEqual(found.alerts, ['TargetDown']);
  assert.equal(found.starts.length, 2, `start times of ${instance}: ${found.starts}`);
});
