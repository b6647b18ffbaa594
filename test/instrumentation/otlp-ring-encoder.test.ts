// The export thread's OTLP encoder for the lean path's ring against the SDK's own serializer:
// the same span records, read back as ReadableSpans and serialized by the SDK, give the very
// same request bytes (times to the nanosecond, IDs, every field's presence and order).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace';
import { ByteWriter } from '../../instrumentation/lean/bytes';
import { encodeSpan } from '../../instrumentation/lean/encode';
import { OtlpRingEncoder } from '../../instrumentation/lean/otlp-request';
import { SpanRing } from '../../instrumentation/lean/ring';
import { ringReader } from '../../instrumentation/lean/ring-reader';
import type { LeanSpan } from '../../instrumentation/lean/span';
import { LeanTracerProvider } from '../../instrumentation/lean/tracer';
import { decodeMessage } from './otlp-decode';

const resource = { 'service.name': 'checkout', 'process.pid': 4242, 'host.arch': 'x64' };

/** A workload touching every field of a span record, ended in an order that mixes scopes. */
function workload(): { ended: LeanSpan[]; provider: LeanTracerProvider } {
  const ended: LeanSpan[] = [];
  const provider = new LeanTracerProvider(new AlwaysOnSampler(), (span) => ended.push(span));
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.222.0');
  const app = provider.getTracer('app', undefined, {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=v1,other=x'),
  });
  const server = http.startSpan('GET /items/:id', { kind: SpanKind.SERVER }, remote);
  server.setAttributes({ 'http.response.status_code': 200, 'url.path': '/items/7', ratio: 0.25 });
  const inside = trace.setSpan(ROOT_CONTEXT, server);
  const child = app.startSpan(
    'chargé ✓ 🚀',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        negative: -42,
        big: 2 ** 40,
        huge: 2 ** 64,
        list: ['a', 'é'],
        flags: [true, false],
        mixed: [1, 2.5],
      },
      links: [
        { context: server.spanContext(), attributes: { 'link.kind': 'follows' } },
        { context: { ...server.spanContext(), isRemote: true, traceState: new TraceState('a=b') } },
      ],
    },
    inside,
  );
  child.addEvent('cache miss', { key: 'k', tries: 2 });
  child.addEvent('bare');
  child.recordException(new Error('boom'));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'it failed' });
  child.end();
  http
    .startSpan('empty status message', {}, inside)
    .setStatus({ code: SpanStatusCode.ERROR, message: '' });
  app.startSpan('internal', { kind: SpanKind.INTERNAL }).end();
  server.end();
  http.startSpan('producer', { kind: SpanKind.PRODUCER, root: true }).end();
  return { ended, provider };
}

function ringOf(spans: LeanSpan[], writer: ByteWriter): SpanRing {
  const ring = SpanRing.create(256 * 1024);
  for (const span of spans) {
    writer.reset();
    encodeSpan(writer, span);
    assert.ok(ring.write(writer.buffer, writer.at));
  }
  return ring;
}

test('the ring encoder writes the bytes the SDK serializer writes for the same records', () => {
  const { ended, provider } = workload();
  assert.equal(ended.length, 4);
  const writer = new ByteWriter();
  const ours = ringOf(ended, writer);
  const keys = writer.keys.unsent();
  const theirs = ringOf(ended, new ByteWriter(writer.keys));

  const encoder = new OtlpRingEncoder(ours, resource);
  encoder.learn(provider.scopes, keys);
  const encoded = encoder.encode(ended.length);

  const read = ringReader(theirs.buffer, provider.scopes, keys, resourceFromAttributes(resource));
  const serialized = Buffer.from(
    ProtobufTraceSerializer.serializeRequest(read(ended.length)) ?? [],
  );

  assert.deepEqual(decodeMessage('TracesData', encoded), decodeMessage('TracesData', serialized));
  assert.equal(encoded.toString('hex'), serialized.toString('hex'));
});

test('batches after the first reuse the learned scopes and keys, and leave nothing behind', () => {
  const first = workload();
  const writer = new ByteWriter();
  const ring = ringOf(first.ended, writer);
  const encoder = new OtlpRingEncoder(ring, resource);
  encoder.learn(first.provider.scopes, writer.keys.unsent());
  const one = encoder.encode(first.ended.length);
  for (const span of first.ended) {
    writer.reset();
    encodeSpan(writer, span);
    ring.write(writer.buffer, writer.at);
  }
  encoder.learn([], writer.keys.unsent());
  assert.equal(encoder.encode(first.ended.length).toString('hex'), one.toString('hex'));
  const [full] = decodeMessage('TracesData', one).resourceSpans as { resource: unknown }[];
  const drained = decodeMessage('TracesData', encoder.encode(first.ended.length));
  assert.deepEqual(drained.resourceSpans, [{ resource: full?.resource }], 'the resource alone');
});
