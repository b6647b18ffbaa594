// The cluster topology's trace path, started by the real `obskit stack up --topology cluster
// --only elasticsearch,kafka,jaeger` in a run directory and on ports of its own: Jaeger's
// collector → Kafka's topic jaeger-spans → Jaeger's ingester → three Elasticsearch nodes, the
// query API reading them. Traces sent over OTLP/HTTP without a pause while Kafka is SIGKILLed
// and restarted, and while every Elasticsearch node is stopped for three minutes: every trace
// Jaeger acknowledged is stored with all its spans, counted by the IDs the test made. It stops
// what it started, also when an assertion fails. Prometheus runs beside them and scrapes
// both Jaeger members' Kafka metrics.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { getTrace } from '../../clients/jaeger';
import { kafkaMetrics } from '../../dashboards/grafana/src/backend-metrics';
import { countedLoop } from '../helpers/counted-loop';
import {
  esClient,
  ingesterLag,
  kafkaCli,
  kafkaRunDir,
  missingOf,
  ports,
  scrapedBy,
  sendTrace,
  spansPerTrace,
  storedSpans,
  traceIds,
  traceStatuses,
} from '../helpers/kafka-cluster';
import { poll } from '../helpers/stack';

/** The acceptance's outage of every Elasticsearch node (issue 28): three minutes. */
const esOutageMs = 180_000;
/** How long after Elasticsearch's return every span sent meanwhile must be stored. */
const drainDeadlineMs = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let client: Client;

before(async () => {
  const up = await kafkaCli('up');
  if (up.code !== 0) throw new Error(`stack up --topology cluster: ${up.stdout}${up.stderr}`);
  client = esClient();
});

after(async () => {
  await client?.close();
  const down = await kafkaCli('down');
  rmSync(kafkaRunDir, { recursive: true, force: true });
  assert.equal(down.code, 0, down.stderr);
});

/** Sends a trace every `paceMs`, keeping the IDs Jaeger acknowledged (200) and those it did not. */
function tracesUnderLoad(service: string, paceMs = 50) {
  const ids = traceIds();
  const acknowledged: string[] = [];
  const loop = countedLoop(async (n) => {
    await sendTrace(ids.id(n), service);
    acknowledged.push(ids.id(n));
  }, paceMs);
  return { prefix: ids.prefix, acknowledged, stop: loop.stop };
}

/** Waits until every acknowledged trace is stored whole; returns the ms it took. */
async function allStored(prefix: string, acknowledged: string[], deadlineMs: number) {
  const start = Date.now();
  let missing: string[] = [];
  try {
    await poll(
      `${acknowledged.length} traces in Elasticsearch`,
      async () => {
        missing = missingOf(acknowledged, await storedSpans(client, prefix));
        return missing.length === 0 ? true : undefined;
      },
      deadlineMs,
    );
  } catch (error) {
    throw new Error(
      `${missing.length} of ${acknowledged.length} acknowledged traces missing or partial (first ${missing.slice(0, 3).join(', ')}): ${error}`,
    );
  }
  return Date.now() - start;
}

test('stack status lists Kafka as controller and broker, Jaeger as collector and ingester', async () => {
  const statuses = await traceStatuses();
  const rows = statuses.map((s) => [s.name, s.healthy, s.role]);
  assert.deepEqual(rows.slice(3, 6), [
    ['kafka', true, 'controller+broker'],
    ['jaeger-1', true, 'collector'],
    ['jaeger-2', true, 'ingester'],
  ]);
});

test('spans sent to the collector reach Elasticsearch through Kafka and the query API returns them', async () => {
  const ids = traceIds();
  const sent = Array.from({ length: 20 }, (_, n) => ids.id(n));
  for (const id of sent) await sendTrace(id, 'kafka-path');
  await allStored(ids.prefix, sent, 30_000);
  assert.equal((await storedSpans(client, ids.prefix)).size, sent.length);
  for (const id of sent) {
    const trace = await poll(`trace ${id}`, () => getTrace(`http://127.0.0.1:${ports.query}`, id));
    assert.equal(trace.spans.length, spansPerTrace);
  }
});

test('Prometheus scrapes the Kafka writes of the collector and the reads and lag of the ingester (job jaeger)', async () => {
  const collector = `127.0.0.1:${ports.collectorMetrics}`;
  const ingester = `127.0.0.1:${ports.ingesterMetrics}`;
  const expected: [string, string[]][] = [
    [kafkaMetrics.kafkaExporterRecords.name, [collector]],
    [kafkaMetrics.kafkaReceiverRecords.name, [ingester]],
    [kafkaMetrics.kafkaReceiverOffsetLag.name, [ingester]],
  ];
  for (const [metric, instances] of expected) {
    const found = await poll(`${metric} in Prometheus`, async () => {
      const scraped = await scrapedBy(metric);
      return scraped.length > 0 ? scraped : undefined;
    });
    assert.deepEqual(found, instances, metric);
  }
});

test('Kafka SIGKILLed and restarted under load: every acknowledged span is stored', async () => {
  const load = tracesUnderLoad('kafka-restart');
  await sleep(5000);
  const kafka = (await traceStatuses()).find((s) => s.name === 'kafka');
  assert.ok(kafka?.pid, 'kafka runs');
  process.kill(-kafka.pid, 'SIGKILL');
  const killedAt = Date.now();
  const up = await kafkaCli('up', 'kafka');
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const restartMs = Date.now() - killedAt;
  await sleep(10_000);
  const counts = await load.stop();
  const drainMs = await allStored(load.prefix, load.acknowledged, 120_000);
  const stored = await storedSpans(client, load.prefix);
  console.log(
    `kafka restart: back in ${restartMs} ms; ${load.acknowledged.length} traces acknowledged (${counts.failed} posts failed), ${stored.size} stored, all within ${drainMs} ms`,
  );
  assert.equal(missingOf(load.acknowledged, stored).length, 0);
});

test('every Elasticsearch node stopped for 3 minutes under load: the ingester drains within a minute of their return', async () => {
  const load = tracesUnderLoad('es-outage');
  await sleep(5000);
  const down = await kafkaCli('down', 'elasticsearch');
  assert.equal(down.code, 0, down.stderr);
  await sleep(esOutageMs);
  const up = await kafkaCli('up', 'elasticsearch');
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const counts = await load.stop();
  // The receiver records its lag after each batch it wrote: blocked while the store is away,
  // it shows the backlog as it drains.
  const lag = lagSampler();
  const drainMs = await allStored(load.prefix, load.acknowledged, drainDeadlineMs);
  const lagAfter = await poll('ingester lag 0', async () =>
    (await ingesterLag()) === 0 ? 0 : undefined,
  );
  const maxLag = await lag.stop();
  console.log(
    `es outage: ${load.acknowledged.length} traces acknowledged (${counts.failed} posts failed), all stored ${drainMs} ms after return, max ingester lag ${maxLag} messages while draining, then ${lagAfter}`,
  );
  assert.ok(maxLag > 0, 'the ingester lag showed the backlog');
});

/** The highest ingester lag seen, sampled every 250 ms until stopped. */
function lagSampler() {
  let max = 0;
  const loop = countedLoop(async () => {
    max = Math.max(max, (await ingesterLag()) ?? 0);
  }, 250);
  return {
    stop: async () => {
      await loop.stop();
      return max;
    },
  };
}
