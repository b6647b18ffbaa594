// The cluster topology's trace path for a test: `obskit stack … --topology cluster --only
// elasticsearch,kafka,jaeger` in a run directory and on ports of its own (three Elasticsearch
// nodes, Kafka, Jaeger's collector and ingester); traces of a few spans sent over OTLP/HTTP,
// their IDs kept when Jaeger acknowledged them; and the spans read back from Elasticsearch by
// the run's trace ID prefix; Prometheus scraping the collector's and the ingester's metrics.

import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { elasticsearchClient } from '../../stack/elasticsearch-client';
import type { BackendStatus } from '../../stack/lifecycle';
import { type CliResult, runCliAsync } from './stack';

export const kafkaRunDir = mkdtempSync(join(tmpdir(), 'obskit-kafka-cluster-'));
// Elasticsearch runs as an unprivileged user when the test runs as root.
chmodSync(kafkaRunDir, 0o755);

/** Elasticsearch's nodes' HTTP and transport ports, below Linux's ephemeral range. */
export const esPorts = [
  [29221, 29321],
  [29222, 29322],
  [29223, 29323],
] as const;

export const ports = {
  broker: 29092,
  controller: 29094,
  otlpHttp: 24318,
  query: 26686,
  collectorMetrics: 28888,
  ingesterMetrics: 28889,
  prometheus: 29090,
};

export const kafkaClusterEnv: NodeJS.ProcessEnv = {
  OBSKIT_RUN_DIR: kafkaRunDir,
  OBSKIT_TOPOLOGY: 'cluster',
  ...Object.fromEntries(
    esPorts.flatMap(([http, transport], index) => {
      const prefix = `OBSKIT_PORT_ELASTICSEARCH${index === 0 ? '' : `_${index + 1}`}`;
      return [
        [`${prefix}_HTTP`, String(http)],
        [`${prefix}_TRANSPORT`, String(transport)],
      ];
    }),
  ),
  OBSKIT_PORT_KAFKA_BROKER: String(ports.broker),
  OBSKIT_PORT_KAFKA_CONTROLLER: String(ports.controller),
  OBSKIT_PORT_JAEGER_OTLP_GRPC: '24317',
  OBSKIT_PORT_JAEGER_OTLP_HTTP: String(ports.otlpHttp),
  OBSKIT_PORT_JAEGER_THRIFT_HTTP: '24268',
  OBSKIT_PORT_JAEGER_QUERY: String(ports.query),
  OBSKIT_PORT_JAEGER_QUERY_GRPC: '26685',
  OBSKIT_PORT_JAEGER_HEALTH: '23133',
  OBSKIT_PORT_JAEGER_METRICS: String(ports.collectorMetrics),
  OBSKIT_PORT_PROMETHEUS: String(ports.prometheus),
  OBSKIT_PORT_JAEGER_2_HEALTH: '23134',
  OBSKIT_PORT_JAEGER_2_METRICS: String(ports.ingesterMetrics),
};

/** The trace path, and Prometheus scraping Jaeger's two members. */
export const traceBackends = 'elasticsearch,kafka,jaeger,prometheus';

/** `obskit stack <verb> --topology cluster --only <backends>` on the test's own env. */
export const kafkaCli = (
  verb: 'up' | 'down' | 'status',
  only = traceBackends,
  ...more: string[]
): Promise<CliResult> =>
  runCliAsync(['stack', verb, '--topology', 'cluster', '--only', only, ...more], kafkaClusterEnv);

/** Each process's status as `stack status --json` gives it. */
export async function traceStatuses(): Promise<BackendStatus[]> {
  const result = await kafkaCli('status', traceBackends, '--json');
  try {
    return JSON.parse(result.stdout) as BackendStatus[];
  } catch {
    throw new Error(`stack status --json: ${result.code} ${result.stdout} ${result.stderr}`);
  }
}

export const esClient = (): Client => elasticsearchClient(esPorts.map(([http]) => http));

/** Spans in each trace a test sends. */
export const spansPerTrace = 3;

/** Trace IDs of one run: a random prefix (first digit not 0) and a counter. */
export function traceIds() {
  const prefix = `a${Math.floor(Math.random() * 0xfffffff)
    .toString(16)
    .padStart(7, '0')}`;
  return { prefix, id: (n: number) => `${prefix}${n.toString(16).padStart(24, '0')}` };
}

/** POSTs trace `traceId` of `spansPerTrace` spans to Jaeger's OTLP/HTTP receiver; throws unless 200. */
export async function sendTrace(traceId: string, service: string): Promise<void> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: spansPerTrace }, (_, i) => ({
    traceId,
    spanId: `${traceId.slice(-14)}${i.toString(16).padStart(2, '0')}`,
    ...(i > 0 ? { parentSpanId: `${traceId.slice(-14)}00` } : {}),
    name: `op-${i}`,
    kind: 2,
    startTimeUnixNano: String(now - 5_000_000n),
    endTimeUnixNano: String(now),
  }));
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: service } }] };
  const response = await fetch(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans }] }] }),
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`OTLP POST answered ${response.status}`);
}

/** Each stored trace of the run (by ID prefix) with its number of distinct span IDs. */
export async function storedSpans(client: Client, prefix: string): Promise<Map<string, number>> {
  const index = 'obskit-jaeger-span-*';
  await client.indices.refresh({ index });
  const stored = new Map<string, number>();
  let after: Record<string, string> | undefined;
  for (;;) {
    const page = await client.search({
      index,
      size: 0,
      query: { prefix: { traceID: prefix } },
      aggs: {
        traces: {
          composite: { size: 5000, sources: [{ t: { terms: { field: 'traceID' } } }], after },
          aggs: { spans: { cardinality: { field: 'spanID' } } },
        },
      },
    });
    const traces = page.aggregations?.traces as {
      buckets: { key: { t: string }; spans: { value: number } }[];
      after_key?: Record<string, string>;
    };
    for (const b of traces.buckets) stored.set(b.key.t, b.spans.value);
    if (traces.buckets.length === 0 || !traces.after_key) return stored;
    after = traces.after_key;
  }
}

/** The acknowledged trace IDs that are not stored with all their spans. */
export const missingOf = (acknowledged: string[], stored: Map<string, number>): string[] =>
  acknowledged.filter((id) => stored.get(id) !== spansPerTrace);

/** The ingester's consumer lag on the spans' topic, from its own /metrics. */
export async function ingesterLag(): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${ports.ingesterMetrics}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith('otelcol_kafka_receiver_offset_lag_ratio{') && l.includes('jaeger-spans'),
    );
  return line ? Number(line.split(' ').pop()) : undefined;
}

/** The instances of job `jaeger` that serve `metric` to the test's Prometheus. */
export async function scrapedBy(metric: string): Promise<string[]> {
  const query = encodeURIComponent(`count by (instance) (${metric}{job="jaeger"})`);
  const response = await fetch(`http://127.0.0.1:${ports.prometheus}/api/v1/query?query=${query}`);
  const body = (await response.json()) as { data: { result: { metric: { instance: string } }[] } };
  return body.data.result.map((r) => r.metric.instance).sort();
}
