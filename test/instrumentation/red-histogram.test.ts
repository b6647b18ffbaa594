// The RED histogram scrapes exactly as prom-client's Histogram with exemplars did, in both
// exposition formats, for the same observations: buckets, +Inf, sum, count and exemplars.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { format, type Metric } from '../../instrumentation/metrics/exposition';
import { red } from '../../instrumentation/metrics/manifest';
import { RedHistogram } from '../../instrumentation/metrics/red-histogram';

interface Observation {
  values: string[];
  seconds: number;
  /** Sampled spans leave their IDs as the exemplar. */
  ids?: [string, string];
}

const trace = (n: number): [string, string] => [
  n.toString(16).padStart(32, '0'),
  n.toString(16).padStart(16, '0'),
];

const cases: { name: string; observations: Observation[] }[] = [
  { name: 'no observation', observations: [] },
  {
    name: 'one series, on a bound, between bounds, above the last',
    observations: [
      { values: ['GET', '/hello', '200'], seconds: 0.005, ids: trace(1) },
      { values: ['GET', '/hello', '200'], seconds: 0.0123, ids: trace(2) },
      { values: ['GET', '/hello', '200'], seconds: 12.5, ids: trace(3) },
    ],
  },
  {
    name: 'several series, unsampled spans, an exemplar replaced in its bucket',
    observations: [
      { values: ['GET', '/entities/:id', '200'], seconds: 0.002, ids: trace(4) },
      { values: ['POST', '/entities', '201'], seconds: 0.3 },
      { values: ['GET', '/entities/:id', '200'], seconds: 0.004, ids: trace(5) },
      { values: ['GET', '/entities/:id', '404'], seconds: 0.001 },
      { values: ['_OTHER', '', '400'], seconds: 0 },
    ],
  },
];

async function scrapeBoth(registry: {
  getMetricsAsJSON(): Promise<unknown>;
}): Promise<[string, string]> {
  const families = (await registry.getMetricsAsJSON()) as unknown as Metric[];
  return [format(families, false), format(families, true)];
}

for (const { name, observations } of cases) {
  test(`scrapes as prom-client's histogram: ${name}`, async (t) => {
    t.mock.method(Date, 'now', () => 1_700_000_000_123);
    const spec = red.httpServer;
    const before = new Registry<'application/openmetrics-text; version=1.0.0; charset=utf-8'>();
    before.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const theirs: Histogram<string> = new Histogram<string>({
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labels] as string[],
      buckets: [...spec.buckets],
      enableExemplars: true,
      registers: [before],
    });
    const after = new Registry();
    const ours = new RedHistogram(spec);
    after.registerMetric(ours as never);

    for (const { values, seconds, ids } of observations) {
      const labels = Object.fromEntries(spec.labels.map((label, i) => [label, values[i] ?? '']));
      theirs.observe({
        labels,
        value: seconds,
        ...(ids ? { exemplarLabels: { trace_id: ids[0], span_id: ids[1] } } : {}),
      });
      ours.observe(values, seconds, ...(ids ?? []));
    }
    assert.deepEqual(await scrapeBoth(after), await scrapeBoth(before));
  });
}

test('reset forgets every series; a value that is not a number is never observed', async () => {
  const ours = new RedHistogram(red.dbClient);
  ours.observe(['redis', 'get', ''], 0.001);
  ours.observe(['redis', 'get', ''], Number.NaN);
  assert.equal((await ours.get()).values.at(-1)?.value, 1);
  ours.reset();
  assert.deepEqual((await ours.get()).values, []);
});
