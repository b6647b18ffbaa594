// Every panel of every Grafana dashboard on the demo's real data: a minute of `obskit demo` with
// one call in five failing in the entity service, then each target, variables resolved as
// Grafana resolves them, run against the stack's Prometheus, Elasticsearch and Jaeger. Grafana
// itself cannot run here: this proves the queries, not Grafana's drawing of them.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { demoPlan } from '../../cli/demo-launch';
import type { TimeRange } from '../../cli/grafana/model';
import { runDashboard } from '../../cli/grafana/targets';
import { resolveVariables } from '../../cli/grafana/variables';
import { startDemo } from '../helpers/demo';
import { committedDashboards, stackBackends } from '../helpers/grafana';
import { fetchTrace } from '../helpers/jaeger';
import { poll, stack } from '../helpers/stack';

const loadSeconds = 60;
const backends = stackBackends();
let demo: ReturnType<typeof startDemo>;
let range: TimeRange;
before(async () => {
  // The demo's load goes through Traefik to the gateway, which finds the replicas in etcd.
  demo = startDemo(loadSeconds, 20);
  await demo.waitFor('the demo services started', /started entity-service-1/, 120_000);
  const start = Date.now();
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

/** Every target of the dashboard titled `title`, over the run. */
async function resultsOf(title: string) {
  const dashboard = committedDashboards().find((d) => d.title === title);
  assert.ok(dashboard, title);
  const selections = await resolveVariables(dashboard, backends, range);
  return runDashboard(dashboard, selections, backends, range);
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

for (const { title } of committedDashboards()) {
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
