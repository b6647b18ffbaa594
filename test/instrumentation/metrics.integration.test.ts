// The preload's /metrics scraped by the stack's real Prometheus: exact request counts, and
// exemplars whose trace IDs Jaeger returns.

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningApp, startApp } from '../helpers/apps';
import { fetchTrace, shapeOf } from '../helpers/jaeger';
import { freePort } from '../helpers/ports';
import { firstExemplar, promQuery } from '../helpers/prometheus';
import { poll, portOf, stack, uniqueId } from '../helpers/stack';

const run = uniqueId('metrics');
const targetFile = join(stack.runDir, 'prometheus', 'config', 'targets', `${run}.json`);
let app: RunningApp;

before(async () => {
  const metricsPort = await freePort();
  app = await startApp('hello.cjs', 'require', {
    OTEL_SERVICE_NAME: run,
    OBSKIT_METRICS_PORT: String(metricsPort),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
  });
  writeFileSync(
    targetFile,
    JSON.stringify([{ targets: [`127.0.0.1:${metricsPort}`], labels: { test_run: run } }]),
  );
});

after(async () => {
  rmSync(targetFile, { force: true });
  await app?.stop();
});

test('after N requests, Prometheus counts exactly N for the route', async () => {
  const requests = 37;
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`http://127.0.0.1:${app.port}/hello`);
    assert.equal(response.status, 200);
    await response.text();
  }
  const selector = `http_server_request_duration_seconds_count{test_run="${run}",http_route="/hello"}`;
  const series = await poll(
    `${requests} requests in Prometheus`,
    async () => {
      const result = await promQuery(selector);
      return result[0]?.value[1] === String(requests) ? result : undefined;
    },
    60_000,
  );
  assert.equal(series.length, 1);
  assert.deepEqual(
    { ...series[0]?.metric, instance: undefined },
    {
      __name__: 'http_server_request_duration_seconds_count',
      http_request_method: 'GET',
      http_response_status_code: '200',
      http_route: '/hello',
      instance: undefined,
      job: 'obskit-apps',
      test_run: run,
    },
  );
});

test('an exemplar of the HTTP histogram holds a trace ID that Jaeger returns', async () => {
  const { trace_id: traceId } = await firstExemplar(
    `http_server_request_duration_seconds_bucket{test_run="${run}"}`,
  );
  assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
  const trace = await fetchTrace(traceId ?? '', 1);
  assert.deepEqual(shapeOf(trace), [`${run} server GET /hello <- none`]);
});
