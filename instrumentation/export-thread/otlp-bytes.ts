// OTLP/protobuf over HTTP for requests the lean path has already encoded from its ring: the
// SDK's own HTTP delegate (retries with backoff, Retry-After, timeout, compression, TLS and
// headers from the environment, the concurrent export limit) given bytes instead of spans.

import type { ExportResult } from '@opentelemetry/core';
import type { SpanExportSettings } from './exporter';

/** One request's bytes and how many spans they hold. */
export interface EncodedSpans {
  bytes: Uint8Array;
  count: number;
}

export interface EncodedSpanExporter {
  export(batch: EncodedSpans, done: (result: ExportResult) => void): void;
}

/** Whether the lean path may encode for this exporter itself: OTLP over HTTP with protobuf. */
export function encodesItself(settings: SpanExportSettings): boolean {
  return settings.exporter === 'otlp' && settings.otlp.protocol === 'http/protobuf';
}

export function encodedSpanExporter({ otlp }: SpanExportSettings): EncodedSpanExporter {
  const { convertLegacyHttpOptions, createOtlpHttpExportDelegate } =
    require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
  const { ProtobufTraceSerializer } =
    require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  const options = convertLegacyHttpOptions(
    { url: otlp.url, headers: { ...otlp.headers }, timeoutMillis: otlp.timeoutMs },
    'TRACES',
    'v1/traces',
    { 'Content-Type': 'application/x-protobuf' },
  );
  const serializer = {
    serializeRequest: (batch: EncodedSpans) => batch.bytes,
    deserializeResponse: (data: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(data),
  };
  // Named as the SDK's OTLP/HTTP span exporter names itself; its own metrics stay off (no meter).
  const metrics = { name: 'span' as const, countItems: (batch: EncodedSpans) => batch.count };
  return createOtlpHttpExportDelegate(
    options,
    serializer,
    'otlp_http_span_exporter',
    metrics,
    undefined,
  );
}
