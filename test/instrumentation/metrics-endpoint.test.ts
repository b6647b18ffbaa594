// /metrics as a scraper sees it, with real child processes: both formats, bounded label values,
// and a taken port that costs one warning and nothing else.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { startApp } from '../helpers/apps';
import { freePort } from '../helpers/ports';
import { poll } from '../helpers/stack';

const quiet = { OTEL_TRACES_EXPORTER: 'none' };

async function scrape(port: number, accept?: string) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: accept ? { accept } : {},
  });
  return { type: response.headers.get('content-type'), body: await response.text() };
}

test('Prometheus text by default, OpenMetrics with exemplars when asked', async () => {
  const metricsPort = await freePort();
  const app = await startApp('hello.cjs', 'require', {
    ...quiet,
    OBSKIT_METRICS_PORT: String(metricsPort),
  });
  try {
    await (await fetch(`http://127.0.0.1:${app.port}/hello`)).text();
    const text = await scrape(metricsPort);
    assert.equal(text.type, 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(text.body, /^# TYPE obskit_spans_dropped_total counter$/m);
    assert.match(
      text.body,
      /^http_server_request_duration_seconds_count\{http_request_method="GET",http_route="\/hello",http_response_status_code="200"\} 1$/m,
    );
    assert.doesNotMatch(text.body, / # \{/);
    assert.match(text.body, /^nodejs_eventloop_lag_p99_seconds /m);

    const open = await scrape(
      metricsPort,
      'application/openmetrics-text;version=1.0.0,text/plain;q=0.5',
    );
    assert.equal(open.type, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.match(open.body, /^# TYPE obskit_spans_dropped counter$/m);
    assert.match(
      open.body,
      /^http_server_request_duration_seconds_bucket\{le="[^"]+",http_request_method="GET",http_route="\/hello",http_response_status_code="200"\} 1 # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} [0-9.e-]+ [0-9.]+$/m,
    );
    assert.ok(open.body.endsWith('# EOF\n'));
  } finally {
    await app.stop();
  }
});

test("the app's own prom-client metrics are served too, each family once", async () => {
  const metricsPort = await freePort();
  const app = await startApp('own-metrics.cjs', 'require', {
    ...quiet,
    OBSKIT_METRICS_PORT: String(metricsPort),
  });
  try {
    assert.equal(
      (await fetch(`http://127.0.0.1:${app.port}/orders`, { method: 'POST' })).status,
      201,
    );
    const { body } = await scrape(metricsPort);
    assert.match(body, /^orders_placed_total 1$/m);
    const families = body.split('\n').filter((line) => line.startsWith('# TYPE '));
    assert.deepEqual(families.length, new Set(families).size, 'a family appears twice');
  } finally {
    await app.stop();
  }
});

test('10 000 distinct unmatched paths add one series, not 10 000', async () => {
  const metricsPort = await freePort();
  const app = await startApp('hello.cjs', 'require', {
    ...quiet,
    OBSKIT_METRICS_PORT: String(metricsPort),
  });
  try {
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        next++;
        const response = await fetch(
          `http://127.0.0.1:${app.port}/users/${Math.random().toString(36).slice(2)}`,
        );
        await response.text();
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const { body } = await scrape(metricsPort);
    const series = body
      .split('\n')
      .filter((line) => line.startsWith('http_server_request_duration_seconds_count'));
    assert.deepEqual(series, [
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404"} 10000',
    ]);
  } finally {
    await app.stop();
  }
});

test('a taken metrics port: one warning, and the app serves as usual', async () => {
  const holder = createServer().listen(0, '0.0.0.0');
  await new Promise((r) => holder.once('listening', r));
  const port = (holder.address() as { port: number }).port;
  try {
    const app = await startApp('hello.cjs', 'require', {
      ...quiet,
      OBSKIT_METRICS_PORT: String(port),
    });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${app.port}/hello`)).status, 200);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(
        app.stderr(),
        `obskit: cannot serve metrics on 0.0.0.0:${port}: port ${port} is already in use; the app runs without /metrics (set OBSKIT_METRICS_PORT to a free port, or 0 to turn it off)\n`,
      );
    } finally {
      await app.stop();
    }
  } finally {
    holder.close();
  }
});

test('a metrics host that is no address of this machine: one warning naming OBSKIT_METRICS_HOST', async () => {
  const port = await freePort();
  // TEST-NET-1 (RFC 5737): a valid address that no interface here has; binding sends nothing.
  const app = await startApp('hello.cjs', 'require', {
    ...quiet,
    OBSKIT_METRICS_PORT: String(port),
    OBSKIT_METRICS_HOST: '192.0.2.1',
  });
  try {
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/hello`)).status, 200);
    const warning = await poll('the warning', async () => app.stderr() || undefined, 5000);
    assert.equal(
      warning,
      `obskit: cannot serve metrics on 192.0.2.1:${port}: listen EADDRNOTAVAIL: address not available 192.0.2.1:${port}; the app runs without /metrics (set OBSKIT_METRICS_HOST to an address of this host, or OBSKIT_METRICS_PORT=0 to turn it off)\n`,
    );
  } finally {
    await app.stop();
  }
});
