// Jaeger v2 from `obskit stack`: an OTLP/HTTP span goes in on 4318 and comes back by trace ID.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { getJson, poll, urlOf } from '../helpers/stack';

interface JaegerTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    processID: string;
    tags: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

test('an OTLP/HTTP span posted to Jaeger comes back from /api/traces/{id}', async () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'obskit-stack-test' } }],
        },
        scopeSpans: [
          {
            scope: { name: 'obskit-test' },
            spans: [
              {
                traceId,
                spanId,
                name: 'GET /stack-test',
                kind: 2,
                startTimeUnixNano: String(nowNs - 5_000_000n),
                endTimeUnixNano: String(nowNs),
                attributes: [{ key: 'http.response.status_code', value: { intValue: '200' } }],
              },
            ],
          },
        ],
      },
    ],
  };
  const posted = await fetch(urlOf('jaeger', '/v1/traces', 'otlp-http'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(posted.status, 200);

  const trace = await poll('the trace in Jaeger', async () => {
    const response = await fetch(urlOf('jaeger', `/api/traces/${traceId}`, 'query'));
    if (response.status === 404) return undefined;
    return ((await response.json()) as { data: JaegerTrace[] }).data[0];
  });

  assert.equal(trace.traceID, traceId);
  assert.equal(trace.spans.length, 1);
  const [span] = trace.spans;
  assert.equal(span?.spanID, spanId);
  assert.equal(span?.operationName, 'GET /stack-test');
  assert.equal(trace.processes[span?.processID ?? '']?.serviceName, 'obskit-stack-test');
  assert.deepEqual(
    span?.tags.find((t) => t.key === 'http.response.status_code'),
    { key: 'http.response.status_code', type: 'int64', value: 200 },
  );
  // Jaeger's Elasticsearch store writes a service to its own index apart from the span: polled.
  const services = await poll('the service in /api/services', async () => {
    const { data } = await getJson<{ data: string[] }>(urlOf('jaeger', '/api/services', 'query'));
    return data.includes('obskit-stack-test') ? data : undefined;
  });
  assert.ok(services.includes('obskit-stack-test'));
});
