// The lean span path against the SDK's (OBSKIT_SPAN_PATH=sdk): one workload of nested spans
// with attributes, events, links, statuses, an error, a remote parent, redaction and the HTTP
// server, client and Express route, exported by each path to a loopback OTLP stand-in; the
// decoded requests agree field by field once IDs are numbered and times left out.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { appEnv, preloadArgs } from '../helpers/apps';
import { repoRoot } from '../helpers/stack';
import { decodeTraces } from './otlp-decode';

const workload = `
const api = require('@opentelemetry/api');
const http = require('node:http');
const express = require('express');
const tracer = api.trace.getTracer('parity', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
const app = express();
app.get('/items/:id', (req, res) => res.status(Number(req.query.status ?? 200)).send('ok'));
const server = app.listen(0, '127.0.0.1', async () => {
  const get = (path, headers = {}) => new Promise((resolve) =>
    http.get({ host: '127.0.0.1', port: server.address().port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }));
  await get('/items/7?token=abc&q=1', { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=v1' });
  await get('/items/8?status=503');
  tracer.startActiveSpan('root', { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.full': 'https://user:pw@example.com/a?api_key=k&x=1', ratio: 0.5, count: 3, on: true, list: ['a', 'b'], nums: [1, 2.5], bad: Number.NaN, none: undefined } }, (root) => {
    const child = tracer.startSpan('child', { kind: api.SpanKind.CLIENT, links: [{ context: root.spanContext(), attributes: { 'link.kind': 'follows' } }] });
    child.setAttribute('http.request.header.authorization', 'Bearer secret');
    child.setAttributes({ 'db.system.name': 'redis', 'db.operation.name': 'GET', 'db.query.text': 'GET k' });
    child.addEvent('cache miss', { key: 'k', tries: 2, hit: false, tags: ['x'] });
    child.addEvent('no attributes');
    child.setAttributes({ note: 'café ✓ 🚀', 'clé.unicode': 'x'.repeat(100) + 'é', long: 'y'.repeat(300) });
    child.recordException(Object.assign(new Error('boom'), { code: 'E_BOOM' }));
    child.setStatus({ code: api.SpanStatusCode.ERROR, message: 'it failed' });
    child.updateName('child renamed');
    child.end();
    api.context.with(api.trace.setSpan(api.context.active(), child), () => {
      const grandchild = tracer.startSpan('grandchild', { attributes: { depth: 2 } });
      grandchild.setStatus({ code: api.SpanStatusCode.OK });
      grandchild.setStatus({ code: api.SpanStatusCode.ERROR, message: 'ignored after OK' });
      grandchild.end();
    });
    tracer.startSpan('detached', { root: true, kind: api.SpanKind.PRODUCER }).end();
    root.end();
  });
  server.close();
});
`;

interface Capture {
  bodies: Buffer[];
  url: string;
  close: () => void;
}

async function otlpStandIn(): Promise<Capture> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type']?.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { bodies, url: `http://127.0.0.1:${port}/v1/traces`, close: () => server.close() };
}

async function run(path: 'lean' | 'sdk', protocol: string, redact = 'true'): Promise<Buffer[]> {
  const standIn = await otlpStandIn();
  const child = spawn(process.execPath, [...preloadArgs('require'), '-e', workload], {
    cwd: repoRoot,
    env: appEnv({
      OBSKIT_SPAN_PATH: path,
      OBSKIT_REDACT: redact,
      OTEL_SERVICE_NAME: 'parity',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: standIn.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  standIn.close();
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  return standIn.bodies;
}

for (const protocol of ['http/protobuf', 'http/json']) {
  test(`both span paths send the same OTLP (${protocol})`, async () => {
    const [lean, sdk] = await Promise.all([run('lean', protocol), run('sdk', protocol)]);
    const leanTraces = decodeTraces(lean, protocol);
    assert.equal(leanTraces.spans, 8);
    assert.deepEqual(leanTraces.normalised, decodeTraces(sdk, protocol).normalised);
  });
}

test('both span paths send the same OTLP without redaction', async () => {
  const [lean, sdk] = await Promise.all([
    run('lean', 'http/json', 'false'),
    run('sdk', 'http/json', 'false'),
  ]);
  assert.deepEqual(
    decodeTraces(lean, 'http/json').normalised,
    decodeTraces(sdk, 'http/json').normalised,
  );
});
