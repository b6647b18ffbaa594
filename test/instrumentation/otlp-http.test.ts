// The export thread's own OTLP/HTTP client against a loopback server: what it sends, which
// answers it retries and how long it waits, and where it gives up, as the SDK's transport does.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  concurrencyLimit,
  type HttpSettings,
  OtlpHttp,
  retryAfterMs,
} from '../../instrumentation/export-thread/otlp-http';

interface Seen {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A loopback server answering each request with `answer`, keeping what it was sent. */
async function server(answer: (res: ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
      answer(res, seen.length);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/traces`;
  return { seen, url, close: () => http.close() };
}

const settings = (url: string, more: Partial<HttpSettings> = {}): HttpSettings => ({
  url,
  headers: { 'Content-Type': 'application/x-protobuf', 'x-tenant': 'a' },
  timeoutMs: 10_000,
  gzip: false,
  ...more,
});

const body = Buffer.from('0a0b0c', 'hex');

test('sends the body with its headers, gzipped when asked', async () => {
  const s = await server((res) => res.end());
  const plain = await new OtlpHttp(settings(s.url)).send(body);
  const zipped = await new OtlpHttp(settings(s.url, { gzip: true })).send(body);
  s.close();
  assert.deepEqual([plain, zipped], [{ status: 'success' }, { status: 'success' }]);
  assert.deepEqual(s.seen[0]?.body, body);
  assert.equal(s.seen[0]?.headers['content-type'], 'application/x-protobuf');
  assert.equal(s.seen[0]?.headers['x-tenant'], 'a');
  assert.equal(s.seen[0]?.headers['content-encoding'], undefined);
  assert.equal(s.seen[1]?.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(s.seen[1]?.body as Buffer), body);
});

test('429, 502, 503 and 504 are retried after Retry-After; then the export succeeds', async () => {
  const statuses = [429, 502, 503, 504];
  const s = await server((res, n) => {
    res.writeHead(statuses[n - 1] ?? 200, { 'retry-after': '0' });
    res.end();
  });
  const outcome = await new OtlpHttp(settings(s.url)).send(body);
  s.close();
  assert.deepEqual(outcome, { status: 'success' });
  assert.equal(s.seen.length, 5);
});

test('another status fails at once, with no retry', async () => {
  const s = await server((res) => {
    res.writeHead(400);
    res.end();
  });
  const outcome = await new OtlpHttp(settings(s.url)).send(body);
  s.close();
  assert.equal(outcome.status, 'failure');
  assert.match((outcome as { error: string }).error, /400/);
  assert.equal(s.seen.length, 1);
});

test('retries stop when the next one would pass the timeout', async () => {
  const s = await server((res) => {
    res.writeHead(503, { 'retry-after': '2' });
    res.end();
  });
  const outcome = await new OtlpHttp(settings(s.url, { timeoutMs: 1500 })).send(body);
  s.close();
  assert.equal(outcome.status, 'retryable');
  assert.equal(s.seen.length, 1, 'Retry-After 2 s is beyond the 1.5 s timeout');
});

test('a refused connection is retried with backoff, then reported', async () => {
  const s = await server((res) => res.end());
  s.close();
  const outcome = await new OtlpHttp(settings(s.url, { timeoutMs: 1300 })).send(body);
  assert.equal(outcome.status, 'retryable');
  assert.match((outcome as { error: string }).error, /ECONNREFUSED/);
});

test('a request with no answer times out; beyond the concurrency limit an export fails at once', async () => {
  const s = await server(() => {});
  const http = new OtlpHttp(settings(s.url, { timeoutMs: 300 }));
  const sends = Array.from({ length: concurrencyLimit }, () => http.send(body));
  assert.deepEqual(await http.send(body), {
    status: 'failure',
    error: 'Concurrent export limit reached',
  });
  const outcomes = await Promise.all(sends);
  s.close();
  assert.ok(outcomes.every((o) => o.status === 'retryable' && o.error === 'Request timed out'));
});

test('Retry-After in seconds or as a date', () => {
  assert.equal(retryAfterMs(undefined), undefined);
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs('0'), 0);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs(new Date(1_000).toUTCString(), 4_000), 0);
});
