// OTLP/protobuf over HTTP for requests the lean path has already encoded from its ring. The
// thread's own HTTP client sends them (otlp-http.ts), unless TLS files are named for OTLP (the
// configuration says so): then the SDK's HTTP delegate does, which reads them as its exporter would.

import { obskitVersion } from '../version';
import type { Sent, SpanExportSettings } from './exporter';
import { OtlpHttp } from './otlp-http';

/** One request's bytes and how many spans they hold. */
export interface EncodedSpans {
  bytes: Uint8Array;
  count: number;
}

export type SendEncoded = (batch: EncodedSpans) => Promise<Sent>;

/** Whether the lean path may encode for this exporter itself: OTLP over HTTP with protobuf. */
export function encodesItself(settings: SpanExportSettings): boolean {
  return settings.exporter === 'otlp' && settings.otlp.protocol === 'http/protobuf';
}

export function encodedSpanSender(settings: SpanExportSettings): SendEncoded {
  if (settings.otlp.tlsFiles) return sdkSender(settings);
  const http = new OtlpHttp({
    url: settings.otlp.url,
    headers: {
      ...settings.otlp.headers,
      'Content-Type': 'application/x-protobuf',
      'User-Agent': `obskit/${obskitVersion}`,
    },
    timeoutMs: settings.otlp.timeoutMs,
    gzip: settings.otlp.compression === 'gzip',
  });
  return async ({ bytes }) => {
    const outcome = await http.send(bytes);
    return outcome.status === 'success' ? { ok: true } : { ok: false, error: outcome.error };
  };
}

function sdkSender({ otlp }: SpanExportSettings): SendEncoded {
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
  const delegate = createOtlpHttpExportDelegate(
    options,
    serializer,
    'otlp_http_span_exporter',
    metrics,
    undefined,
  );
  const { ExportResultCode } =
    require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  return (batch) =>
    new Promise((resolve) =>
      delegate.export(batch, (result) =>
        resolve({ ok: result.code === ExportResultCode.SUCCESS, error: result.error?.message }),
      ),
    );
}
