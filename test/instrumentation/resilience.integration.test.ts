// The preload under bad configuration, a Jaeger that goes away and comes back, and SIGTERM
// right after a request — against the stack's real Jaeger.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp } from '../helpers/apps';
import { fetchTrace, newTraceparent, shapeOf } from '../helpers/jaeger';
import { poll, portOf, runCli, uniqueId } from '../helpers/stack';

const otlpEnv = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
});

async function getHello(port: number, traceparent?: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/hello`, {
    headers: traceparent ? { traceparent } : {},
  });
  await response.text();
  return response.status;
}

test('a bad sampler argument: one warning, the default ratio, the app runs', async () => {
  const service = uniqueId('bad-config');
  const app = await startApp('hello.cjs', 'require', {
    ...otlpEnv(),
    OTEL_SERVICE_NAME: service,
    OTEL_TRACES_SAMPLER: 'traceidratio',
    OTEL_TRACES_SAMPLER_ARG: 'abc',
  });
  try {
    // An unsampled parent: only the default ratio of 1 records this trace.
    const context = newTraceparent();
    assert.equal(await getHello(app.port, context.header.replace(/-01$/, '-00')), 200);
    const trace = await fetchTrace(context.traceId, 1);
    assert.deepEqual(shapeOf(trace), [`${service} server GET /hello <- remote parent`]);
    assert.equal(
      app.stderr(),
      'obskit: OTEL_TRACES_SAMPLER_ARG="abc" is not a number from 0 to 1; using 1\n',
    );
  } finally {
    await app.stop();
  }
});

test('Jaeger down: every request answered, one warning; Jaeger back: traces arrive again', async () => {
  const service = uniqueId('jaeger-outage');
  const app = await startApp('hello.cjs', 'require', { ...otlpEnv(), OTEL_SERVICE_NAME: service });
  try {
    assert.equal(runCli(['stack', 'down', '--only', 'jaeger']).code, 0);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(await getHello(app.port));
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(statuses, Array(30).fill(200));
    await poll('the export warning', async () =>
      app.stderr().includes('cannot export spans') ? true : undefined,
    );
    const warnings = app.stderr().trim().split('\n');
    assert.equal(warnings.length, 1, app.stderr());
    assert.match(
      warnings[0] ?? '',
      /^obskit: cannot export spans to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP http\/protobuf\): .+; dropping them until it answers \(said at most once a minute\)$/,
    );

    const up = runCli(['stack', 'up', '--only', 'jaeger']);
    assert.equal(up.code, 0, up.stderr);
    const context = newTraceparent();
    assert.equal(await getHello(app.port, context.header), 200);
    const trace = await fetchTrace(context.traceId, 1, 60_000);
    assert.deepEqual(shapeOf(trace), [`${service} server GET /hello <- remote parent`]);
  } finally {
    runCli(['stack', 'up', '--only', 'jaeger']);
    await app.stop();
  }
});

test('SIGTERM right after a request: the process dies by SIGTERM and its trace is in Jaeger', async () => {
  const service = uniqueId('sigterm');
  // The default 5 s batch delay: the span is still queued when the signal arrives.
  const app = await startApp('hello.cjs', 'require', {
    ...otlpEnv(),
    OTEL_SERVICE_NAME: service,
    OTEL_BSP_SCHEDULE_DELAY: '5000',
  });
  const context = newTraceparent();
  assert.equal(await getHello(app.port, context.header), 200);
  assert.deepEqual(await app.stop('SIGTERM'), { code: null, signal: 'SIGTERM' });
  const trace = await fetchTrace(context.traceId, 1);
  assert.deepEqual(shapeOf(trace), [`${service} server GET /hello <- remote parent`]);
});
