// Jaeger v2's trace store on the stack's Elasticsearch (the default) and in memory
// (OBSKIT_JAEGER_STORAGE=memory): traces outlive a Jaeger restart, are documents in Elasticsearch,
// and an Elasticsearch outage costs the app nothing while Jaeger's own metrics count it; Jaeger
// writes again by itself once Elasticsearch is back.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { traceIndices } from '../../common/index-names';
import { elasticsearchClient } from '../../stack/elasticsearch-client';
import { getTrace } from '../helpers/jaeger';
import { poll, portOf, restartJaeger, stackOnly, urlOf } from '../helpers/stack';

const service = 'obskit-storage-test';

/** Posts one OTLP/HTTP span of a new trace, as an app's exporter would; returns its trace ID. */
async function postTrace(name: string): Promise<{ traceId: string; status: number }> {
  const traceId = randomBytes(16).toString('hex');
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const span = {
    traceId,
    spanId: randomBytes(8).toString('hex'),
    name,
    kind: 2,
    startTimeUnixNano: String(nowNs - 5_000_000n),
    endTimeUnixNano: String(nowNs),
  };
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: service } }] };
  const response = await fetch(urlOf('jaeger', '/v1/traces', 'otlp-http'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ spans: [span] }] }] }),
  });
  return { traceId, status: response.status };
}

const queryUrl = () => urlOf('jaeger', '', 'query');
const found = (traceId: string, deadlineMs?: number) =>
  poll(`trace ${traceId} in Jaeger`, () => getTrace(queryUrl(), traceId), deadlineMs);

const inMemory = { OBSKIT_JAEGER_STORAGE: 'memory' };
// Whatever a test did, the stack ends as it began: Elasticsearch up, Jaeger on its default store.
after(() => {
  stackOnly('up', ['elasticsearch']);
  restartJaeger();
});

/** The documents of Jaeger's span indices that belong to `traceId`. */
async function spanDocuments(traceId: string): Promise<number> {
  const client = elasticsearchClient(portOf('elasticsearch'));
  try {
    await client.indices.refresh({ index: traceIndices.pattern });
    const result = await client.count({
      index: traceIndices.pattern,
      query: { term: { traceID: traceId } },
    });
    return result.count;
  } finally {
    await client.close();
  }
}

/** A counter of Jaeger's own metrics (its Prometheus endpoint), summed over its series. */
async function jaegerCounter(name: string): Promise<number> {
  const text = await (await fetch(urlOf('jaeger', '/metrics', 'metrics'))).text();
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

test('on Elasticsearch (the default), traces survive `stack down --only jaeger` and `up`, and their spans are documents there', async () => {
  restartJaeger();
  const sent = await Promise.all([1, 2, 3].map((n) => postTrace(`GET /survives/${n}`)));
  for (const { traceId } of sent) await found(traceId);
  restartJaeger();
  for (const { traceId } of sent) {
    const trace = await found(traceId);
    assert.equal(trace.traceID, traceId);
    assert.equal(await spanDocuments(traceId), 1, `the span of ${traceId} is one document`);
  }
});

test('in memory, traces go in and come back, and not to Elasticsearch', async () => {
  restartJaeger(inMemory);
  const { traceId, status } = await postTrace('GET /in-memory');
  assert.equal(status, 200);
  assert.equal((await found(traceId)).traceID, traceId);
  assert.equal(await spanDocuments(traceId), 0);
  restartJaeger();
});

test('Elasticsearch down: the app sees nothing, Jaeger counts the failed bulk, spans after it returns are stored', async () => {
  restartJaeger();
  // A bulk request that fails whole counts in its error latency, not in its errors (per item).
  const errorsBefore = await jaegerCounter('jaeger_storage_bulk_index_latency_err_seconds_count');
  stackOnly('down', ['elasticsearch']);
  const lost = await postTrace('GET /while-es-is-down');
  assert.equal(lost.status, 200, 'Jaeger accepts the span: the app sees no error');
  await poll(
    'a failed bulk index in Jaeger metrics',
    async () =>
      (await jaegerCounter('jaeger_storage_bulk_index_latency_err_seconds_count')) > errorsBefore
        ? true
        : undefined,
    60_000,
  );
  stackOnly('up', ['elasticsearch']);
  const back = await postTrace('GET /after-es-returns');
  assert.equal(back.status, 200);
  // After a failed bulk, Jaeger's client pings HEAD / every 5 s before it writes again (the
  // root plugin answers it): the span is stored without a Jaeger restart.
  assert.equal((await found(back.traceId, 60_000)).traceID, back.traceId);
  assert.equal(await spanDocuments(back.traceId), 1);
});
