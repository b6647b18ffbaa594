// The OTLP and Jaeger span exporters, loaded and run on the export thread only.

import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ObskitConfig } from '../config';

/** What the export thread needs of the configuration: plain data, copied to it once. */
export interface SpanExportSettings {
  exporter: 'otlp' | 'jaeger';
  otlp: ObskitConfig['otlp'];
  jaegerEndpoint: string;
  /** The attributes of the process's one resource. */
  resource: Record<string, unknown>;
}

function otlpExporter({ otlp }: SpanExportSettings): SpanExporter {
  const options = { url: otlp.url, headers: { ...otlp.headers }, timeoutMillis: otlp.timeoutMs };
  if (otlp.protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

function jaegerExporter({ jaegerEndpoint }: SpanExportSettings): SpanExporter {
  const { JaegerExporter } = require('@opentelemetry/exporter-jaeger');
  return new JaegerExporter({ endpoint: jaegerEndpoint });
}

export function loadExporter(settings: SpanExportSettings): SpanExporter {
  return settings.exporter === 'otlp' ? otlpExporter(settings) : jaegerExporter(settings);
}

/** A batch's outcome, as the export thread answers it. */
export interface Sent {
  ok: boolean;
  error?: string;
}

/** Hands `spans` to an SDK exporter; resolves with its outcome. */
export function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<Sent> {
  const { ExportResultCode } =
    require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  return new Promise((resolve) =>
    exporter.export(spans, (result) =>
      resolve({ ok: result.code === ExportResultCode.SUCCESS, error: result.error?.message }),
    ),
  );
}
