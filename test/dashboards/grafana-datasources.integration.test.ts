// Grafana's provisioned datasources, checked without a Grafana: their uids and compose hosts,
// and every link between the signals followed on real data — the exemplar label on the
// histograms in Prometheus leads to a trace in Jaeger, the Jaeger datasource's logs query
// finds that trace's lines in Elasticsearch, and the log lines carry the field that links back.

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningApp, startApp } from '../helpers/apps';
import { elasticsearch, logsIndex } from '../helpers/elasticsearch';
import { datasourceOfType, fillVariables, provisionedDatasources } from '../helpers/grafana';
import { fetchTrace, newTraceparent } from '../helpers/jaeger';
import { freePort } from '../helpers/ports';
import { firstExemplar } from '../helpers/prometheus';
import { poll, portOf, stack, uniqueId } from '../helpers/stack';

interface ExemplarDestination {
  name: string;
  datasourceUid: string;
}

const run = uniqueId('grafana-links');
const targetFile = join(stack.runDir, 'prometheus', 'config', 'targets', `${run}.json`);
const es = elasticsearch();
let app: RunningApp;
let traceId: string;

before(async () => {
  const metricsPort = await freePort();
  app = await startApp('logging.cjs', 'require', {
    OTEL_SERVICE_NAME: run,
    OBSKIT_METRICS_PORT: String(metricsPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
    OBSKIT_LOG_TRANSPORTS: 'syslog',
    OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
  });
  writeFileSync(
    targetFile,
    JSON.stringify([{ targets: [`127.0.0.1:${metricsPort}`], labels: { test_run: run } }]),
  );
  const traceparent = newTraceparent();
  traceId = traceparent.traceId;
  const response = await fetch(`http://127.0.0.1:${app.port}/log`, {
    method: 'POST',
    headers: { traceparent: traceparent.header, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'linked', fields: { 'test.run': run } }),
  });
  assert.equal(response.status, 200);
});

after(async () => {
  rmSync(targetFile, { force: true });
  await app?.stop();
  await es.close();
});

test('each datasource has a unique uid and its compose host', () => {
  const datasources = provisionedDatasources();
  assert.deepEqual(
    datasources.map(({ type, uid, url }) => ({ type, uid, url })),
    [
      { type: 'prometheus', uid: 'obskit-prometheus', url: 'http://prometheus:9090' },
      { type: 'jaeger', uid: 'obskit-jaeger', url: 'http://jaeger:16686' },
      { type: 'elasticsearch', uid: 'obskit-elasticsearch', url: 'http://elasticsearch:9200' },
      { type: 'alertmanager', uid: 'obskit-alertmanager', url: 'http://alertmanager:9093' },
    ],
  );
});

test('exemplar → trace: the exemplar label on the histograms holds a trace ID Jaeger returns', async () => {
  const prometheus = datasourceOfType('prometheus');
  const [destination] = prometheus.jsonData.exemplarTraceIdDestinations as ExemplarDestination[];
  assert.equal(destination?.datasourceUid, datasourceOfType('jaeger').uid);
  const labels = await firstExemplar(
    `http_server_request_duration_seconds_bucket{test_run="${run}"}`,
  );
  const exemplarTraceId = labels[destination.name] as string;
  assert.equal(exemplarTraceId, traceId);
  assert.equal((await fetchTrace(exemplarTraceId, 1)).traceID, traceId);
});

test("trace → logs: the Jaeger datasource's logs query finds the trace's lines", async () => {
  const jaeger = datasourceOfType('jaeger');
  const toLogs = jaeger.jsonData.tracesToLogsV2 as {
    datasourceUid: string;
    customQuery: boolean;
    query: string;
  };
  const logs = datasourceOfType('elasticsearch');
  assert.equal(toLogs.datasourceUid, logs.uid);
  assert.equal(toLogs.customQuery, true);
  assert.equal(logs.jsonData.index, logsIndex);
  const query = fillVariables(toLogs.query, { '__trace.traceId': traceId });
  const hits = await poll('the trace lines by the logs query', async () => {
    await es.indices.refresh({ index: logsIndex });
    const result = await es.search<{ trace: { id: string }; message: string }>({
      index: String(logs.jsonData.index),
      query: { query_string: { query } },
    });
    return result.hits.hits.length > 0 ? result.hits.hits : undefined;
  });
  assert.deepEqual(
    hits.map((hit) => [hit._source?.trace.id, hit._source?.message]),
    [[traceId, 'linked']],
  );
});

test('log line → trace: the data link field is on the log documents and names a trace in Jaeger', async () => {
  const logs = datasourceOfType('elasticsearch');
  const [link] = logs.jsonData.dataLinks as { field: string; datasourceUid: string; url: string }[];
  assert.equal(link?.datasourceUid, datasourceOfType('jaeger').uid);
  const hits = await poll('the line of the run', async () => {
    await es.indices.refresh({ index: logsIndex });
    const result = await es.search<Record<string, unknown>>({
      index: logsIndex,
      query: { term: { 'test.run': run } },
    });
    return result.hits.hits.length > 0 ? result.hits.hits : undefined;
  });
  // Grafana reads a dotted field through the document's nested objects.
  const value = link.field
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], hits[0]?._source);
  assert.equal(value, traceId);
  const target = fillVariables(link.url, { '__value.raw': String(value) });
  assert.equal((await fetchTrace(target, 1)).traceID, traceId);
});
