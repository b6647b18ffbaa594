// The lean span path's tracer and span against the SDK's rules: sampling and parents, span
// limits, attribute values, statuses, events, exceptions, and what happens after end().

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  createAlwaysRecordSampler,
  ParentBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { LeanSpan } from '../../instrumentation/lean/span';
import { LeanTracerProvider } from '../../instrumentation/lean/tracer';

function tracerWith(sampler: Sampler = new AlwaysOnSampler()) {
  const ended: LeanSpan[] = [];
  const provider = new LeanTracerProvider(sampler, (span) => ended.push(span));
  return { tracer: provider.getTracer('test', '1.0.0'), ended, provider };
}

const remoteParent = (flags: TraceFlags) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: flags,
    isRemote: true,
  });

test('a root span gets fresh IDs; a child keeps its parent trace and names its parent', () => {
  const { tracer } = tracerWith();
  const root = tracer.startSpan('root');
  assert.match(root.spanContext().traceId, /^[0-9a-f]{32}$/);
  assert.match(root.spanContext().spanId, /^[0-9a-f]{16}$/);
  const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)) as LeanSpan;
  assert.equal(child.spanContext().traceId, root.spanContext().traceId);
  assert.equal(child.parent?.spanId, root.spanContext().spanId);
  assert.notEqual(child.spanContext().spanId, root.spanContext().spanId);
  const detached = tracer.startSpan('detached', { root: true }, trace.setSpan(ROOT_CONTEXT, root));
  assert.notEqual(detached.spanContext().traceId, root.spanContext().traceId);
});

test('the sampler decides as in the SDK: not recorded, recorded only, or sampled', () => {
  const off = tracerWith(new AlwaysOffSampler()).tracer.startSpan('s');
  assert.equal(off instanceof LeanSpan, false);
  assert.equal(off.isRecording(), false);
  const parentBased = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const unsampled = tracerWith(parentBased).tracer.startSpan('s', {}, remoteParent(0));
  assert.equal(unsampled.isRecording(), false);
  assert.equal(unsampled.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  const recorded = tracerWith(createAlwaysRecordSampler(parentBased)).tracer.startSpan(
    's',
    {},
    remoteParent(TraceFlags.NONE),
  );
  assert.equal(recorded instanceof LeanSpan, true);
  assert.equal(recorded.spanContext().traceFlags, TraceFlags.NONE);
  const sampled = tracerWith(parentBased).tracer.startSpan('s', {}, remoteParent(1));
  assert.equal(sampled.spanContext().traceFlags, TraceFlags.SAMPLED);
  assert.equal((sampled as LeanSpan).parent?.isRemote, true);
});

test('suppressed tracing gets the invalid span', () => {
  const span = tracerWith().tracer.startSpan('s', {}, suppressTracing(ROOT_CONTEXT));
  assert.equal(trace.isSpanContextValid(span.spanContext()), false);
});

test('attributes: invalid ones left out, arrays copied, 128 at most, the rest counted', () => {
  const span = tracerWith().tracer.startSpan('s', {
    attributes: { ok: 1, empty: undefined, nested: { a: 1 } as never },
  }) as LeanSpan;
  const list = ['a'];
  span.setAttribute('list', list);
  list.push('b');
  span.setAttribute('', 'no key');
  for (let i = 0; i < 130; i++) span.setAttribute(`k${i}`, i);
  span.setAttribute('ok', 2);
  assert.equal(span.attribute('ok'), 2);
  assert.deepEqual(span.attribute('list'), ['a']);
  assert.equal(span.attribute('empty'), undefined);
  assert.equal(span.attribute('nested'), undefined);
  assert.equal(span.slotCount, 256);
  assert.equal(span.droppedAttributes, 4);
});

test('status: OK is final, a message only with ERROR', () => {
  const span = tracerWith().tracer.startSpan('s') as LeanSpan;
  span.setStatus({ code: SpanStatusCode.UNSET });
  assert.equal(span.statusCode, SpanStatusCode.UNSET);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
  assert.deepEqual([span.statusCode, span.statusMessage], [SpanStatusCode.ERROR, 'bad']);
  span.setStatus({ code: SpanStatusCode.OK, message: 'dropped' });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'after OK' });
  assert.deepEqual([span.statusCode, span.statusMessage], [SpanStatusCode.OK, undefined]);
});

test('events: 128 kept, the oldest dropped and counted; exceptions as the SDK records them', () => {
  const span = tracerWith().tracer.startSpan('s') as LeanSpan;
  for (let i = 0; i < 130; i++) span.addEvent(`e${i}`, { i });
  assert.equal(span.events?.length, 128);
  assert.equal(span.events?.[0]?.name, 'e2');
  assert.equal(span.droppedEvents, 2);
  const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
  span.recordException(error);
  assert.deepEqual(span.events?.at(-1)?.attributes, {
    'exception.type': 'E_BOOM',
    'exception.message': 'boom',
    'exception.stacktrace': error.stack,
  });
});

test('a span ends once, reaches its tracer once, and changes nothing after', () => {
  const { tracer, ended } = tracerWith();
  const span = tracer.startSpan('s', { kind: SpanKind.CLIENT }) as LeanSpan;
  span.end();
  span.end();
  span.setAttribute('late', 1);
  span.updateName('late');
  assert.equal(ended.length, 1);
  assert.equal(span.isRecording(), false);
  assert.equal(span.attribute('late'), undefined);
  assert.equal(span.name, 's');
  assert.ok(span.durationMs >= 0);
});

test('times given by the caller are taken as the SDK takes them', () => {
  const span = tracerWith().tracer.startSpan('s', { startTime: new Date(1_000_000) }) as LeanSpan;
  assert.equal(span.startMs, 1_000_000);
  span.end([1001, 500_000_000]);
  assert.equal(span.durationMs, 1500);
  const backwards = tracerWith().tracer.startSpan('s', {
    startTime: 2_000_000_000_000,
  }) as LeanSpan;
  backwards.end(1_000_000_000_000);
  assert.equal(backwards.durationMs, 0);
});

test('startActiveSpan runs its function with the span active', () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const { tracer } = tracerWith();
  const seen = tracer.startActiveSpan('s', (span: Span) => {
    const active = trace.getSpan(context.active());
    span.end();
    return active === span;
  });
  assert.equal(seen, true);
});

test('one tracer per scope, each with its index', () => {
  const { provider } = tracerWith();
  const again = provider.getTracer('test', '1.0.0');
  provider.getTracer('other');
  assert.equal(provider.getTracer('test', '1.0.0'), again);
  assert.deepEqual(
    provider.scopes.map((s) => s.name),
    ['test', 'other'],
  );
});
