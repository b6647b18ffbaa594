// Spans cross to the export thread as plain data, without a value that Jaeger's JSON API cannot
// write: instrumentation-grpc records server.port NaN for an `etcd:///` target, and Jaeger then
// answers 500 for every trace holding that span.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { toWire } from '../../instrumentation/export-thread/wire';

function endedSpan(attributes: Record<string, number | string>) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer('test').startSpan('call', { kind: SpanKind.CLIENT, attributes }).end();
  return exporter.getFinishedSpans()[0] as NonNullable<
    ReturnType<InMemorySpanExporter['getFinishedSpans']>[0]
  >;
}

test('a number that is not finite is left out; every other attribute crosses as it is', () => {
  const span = endedSpan({
    'server.address': 'entity-service',
    'server.port': Number.NaN,
    'rpc.grpc.status_code': 0,
    ratio: Number.POSITIVE_INFINITY,
  });
  assert.deepEqual(toWire(span).attributes, {
    'server.address': 'entity-service',
    'rpc.grpc.status_code': 0,
  });
});

test('attributes without such a number are handed over without a copy', () => {
  const span = endedSpan({ 'server.address': 'redis', 'server.port': 6379 });
  assert.equal(toWire(span).attributes, span.attributes);
});
