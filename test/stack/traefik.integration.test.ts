// Traefik from `obskit stack`, with etcd, Jaeger, Prometheus, rsyslog and Elasticsearch: a route
// written in etcd in Traefik's KV layout carries a request to a server of the test's own, with
// a W3C traceparent whose trace Jaeger holds with Traefik's span as its root; Prometheus scrapes
// the router's request count, and the access log line reaches Elasticsearch with the trace id.

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { elasticsearch, logsWhere } from '../helpers/elasticsearch';
import { etcdDeletePrefix, etcdPut } from '../helpers/etcd';
import { fetchTrace, parentOf, serviceOf, tagsOf } from '../helpers/jaeger';
import { promQuery } from '../helpers/prometheus';
import { poll, uniqueId, urlOf } from '../helpers/stack';

const name = uniqueId('traefik-test');
const path = `/${name}/hello`;
const seen: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  seen.push(req.headers);
  res.end('hello from the test server');
});
let traceId = '';
let parentSpanId = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await etcdPut(`traefik/http/routers/${name}/rule`, `PathPrefix(\`/${name}\`)`);
  await etcdPut(`traefik/http/routers/${name}/entryPoints/0`, 'web');
  await etcdPut(`traefik/http/routers/${name}/service`, name);
  await etcdPut(
    `traefik/http/services/${name}/loadBalancer/servers/0/url`,
    `http://127.0.0.1:${port}`,
  );
  // Traefik picks the route up from its etcd watch; until then it answers 404.
  await poll('the etcd route to answer through Traefik', async () => {
    const response = await fetch(urlOf('traefik', path, 'web'));
    return response.status === 200 && (await response.text()).startsWith('hello') ? 1 : undefined;
  });
  const traceparent = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(`${seen.at(-1)?.traceparent}`);
  traceId = traceparent?.[1] ?? '';
  parentSpanId = traceparent?.[2] ?? '';
});

after(async () => {
  await etcdDeletePrefix(`traefik/http/routers/${name}/`);
  await etcdDeletePrefix(`traefik/http/services/${name}/`);
  server.close();
});

test('the request reached the server with a W3C traceparent from Traefik', () => {
  assert.match(traceId, /^[0-9a-f]{32}$/, 'a sampled traceparent header');
});

test("Jaeger holds the request's trace with Traefik's span as its root", async () => {
  const trace = await poll('Traefik spans', async () => {
    const found = await fetchTrace(traceId, 1);
    return found.spans.some((s) => s.spanID === parentSpanId) ? found : undefined;
  });
  const [root, ...otherRoots] = trace.spans.filter((span) => !parentOf(span));
  assert.ok(root && otherRoots.length === 0, 'one root span');
  assert.equal(serviceOf(trace, root), 'traefik');
  assert.equal(tagsOf(root)['span.kind'], 'server');
  const forwarded = trace.spans.find((s) => s.spanID === parentSpanId);
  assert.ok(forwarded, "the span named by the server's traceparent");
  assert.equal(serviceOf(trace, forwarded), 'traefik');
  assert.equal(tagsOf(forwarded)['span.kind'], 'client');
});

test("Prometheus scrapes Traefik's request count for the router", async () => {
  const selector = `traefik_router_requests_total{router="${name}@etcd",code="200"}`;
  const samples = await poll(
    `${selector} in Prometheus`,
    async () => {
      const result = await promQuery(`sum(${selector})`);
      return Number(result[0]?.value[1] ?? 0) >= 1 ? result : undefined;
    },
    60_000,
  );
  assert.ok(Number(samples[0]?.value[1]) >= 1);
});

test("the request's access log line is in Elasticsearch with its trace.id", async () => {
  const client = elasticsearch();
  try {
    const [hit] = await logsWhere(client, 'trace.id', traceId, 1, 60_000);
    const doc = hit?.source as Record<string, Record<string, unknown>>;
    assert.deepEqual(doc.service, { name: 'traefik' });
    assert.equal(doc.url?.path, path);
    assert.deepEqual(doc.http, { request: { method: 'GET' }, response: { status_code: 200 } });
    assert.equal(doc.traefik?.router, `${name}@etcd`);
    assert.ok(Number(doc.event?.duration) > 0, 'event.duration in nanoseconds');
  } finally {
    await client.close();
  }
});
