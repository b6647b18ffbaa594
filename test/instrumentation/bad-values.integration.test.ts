// Every bad list or URL value of the configuration table, in a real app under the preload: the
// app starts and answers, one warning names the variable, and the default is in effect — seen
// in the real Jaeger where the default is where spans go.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RunningApp, startApp } from '../helpers/apps';
import { hopShape, startEchoPair } from '../helpers/echo';
import { fetchTrace, newTraceparent, shapeOf } from '../helpers/jaeger';
import { freePort } from '../helpers/ports';
import { portOf, uniqueId } from '../helpers/stack';

const jaegerOtlp = `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`;
/** The defaults point at Jaeger's default ports; the stack must listen there to see them work. */
const stackOnDefaultPorts = portOf('jaeger', 'otlp-http') === 4318;

interface Case {
  env: Record<string, string>;
  /** The variable the one warning must name. */
  variable: string;
  /** Shows the default in effect, given the app and the trace ID of one logged request. */
  inEffect?: (seen: Seen) => Promise<void>;
}

interface Seen {
  app: RunningApp;
  traceId: string;
  metricsPort: number;
}

const spansReachJaeger = async ({ traceId }: Seen) => {
  if (stackOnDefaultPorts) await fetchTrace(traceId, 1);
};

const cases: Case[] = [
  { variable: 'OTEL_TRACES_EXPORTER', env: { OTEL_TRACES_EXPORTER: 'zipkin' } },
  {
    variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url' },
    inEffect: spansReachJaeger,
  },
  {
    variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '::not a url::' },
    inEffect: spansReachJaeger,
  },
  {
    variable: 'OTEL_EXPORTER_JAEGER_ENDPOINT',
    env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_JAEGER_ENDPOINT: 'not-a-url' },
    inEffect: spansReachJaeger,
  },
  { variable: 'OTEL_PROPAGATORS', env: { OTEL_PROPAGATORS: 'nonsense' } },
  {
    variable: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'kafka' },
    inEffect: async ({ traceId }) => {
      // http and express are on again: the server span is named after the route.
      const trace = await fetchTrace(traceId, 1);
      assert.equal(trace.spans[0]?.operationName, 'POST /log');
    },
  },
  {
    variable: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafka' },
  },
  {
    variable: 'OBSKIT_LOG_TRANSPORTS',
    env: { OBSKIT_LOG_TRANSPORTS: 'carrier-pigeon' },
    inEffect: async ({ app, traceId }) => {
      // The console default: the line is JSON on stdout, with its trace.
      assert.ok(app.stdout().includes(`"trace":{"id":"${traceId}"}`), app.stdout());
    },
  },
  { variable: 'OBSKIT_LOG_SYSLOG_URL', env: { OBSKIT_LOG_SYSLOG_URL: 'http://logs:5140' } },
  { variable: 'OBSKIT_LOG_FLUENTD_URL', env: { OBSKIT_LOG_FLUENTD_URL: 'tcp://fluentd' } },
  { variable: 'OTEL_RESOURCE_ATTRIBUTES', env: { OTEL_RESOURCE_ATTRIBUTES: 'broken' } },
  { variable: 'OTEL_EXPORTER_OTLP_HEADERS', env: { OTEL_EXPORTER_OTLP_HEADERS: 'broken' } },
  {
    variable: 'OBSKIT_METRICS_HOST',
    env: { OBSKIT_METRICS_HOST: 'not a host' },
    inEffect: async ({ metricsPort }) => {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(response.status, 200);
    },
  },
];

for (const { variable, env, inEffect } of cases) {
  test(`${variable}=${Object.values(env).at(-1)}: the app answers, one warning names it, the default holds`, async () => {
    const metricsPort = await freePort();
    const app = await startApp('logging.cjs', 'require', {
      OTEL_EXPORTER_OTLP_ENDPOINT: jaegerOtlp,
      OBSKIT_METRICS_PORT: String(metricsPort),
      ...env,
    });
    try {
      const { traceId, header } = newTraceparent();
      const response = await fetch(`http://127.0.0.1:${app.port}/log`, {
        method: 'POST',
        headers: { traceparent: header, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'checked' }),
      });
      assert.equal(response.status, 200);
      const warnings = app
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith('obskit:'));
      assert.equal(warnings.length, 1, app.stderr());
      assert.match(warnings[0] as string, new RegExp(`^obskit: ${variable}[ =]`));
      await inEffect?.({ app, traceId, metricsPort });
    } finally {
      await app.stop('SIGTERM');
    }
  });
}

test('OTEL_PROPAGATORS=nonsense: a two-hop trace is still one trace', async () => {
  const pair = await startEchoPair(uniqueId('propagators'), {
    OTEL_PROPAGATORS: 'nonsense',
    OTEL_EXPORTER_OTLP_ENDPOINT: jaegerOtlp,
  });
  try {
    const { traceId, header } = newTraceparent();
    const response = await fetch(`http://127.0.0.1:${pair.gateway.port}/hop/1`, {
      headers: { traceparent: header },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(shapeOf(await fetchTrace(traceId, 3)), hopShape(pair.services));
  } finally {
    await Promise.all([pair.gateway.stop('SIGTERM'), pair.echo.stop('SIGTERM')]);
  }
});
