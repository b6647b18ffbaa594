// The span exporter OTEL_TRACES_EXPORTER names. OTLP and Jaeger run on the export thread, so
// the app's thread never loads protobuf or thrift, nor encodes or sends a span.

import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ObskitConfig } from './config';
import type { SpanExportSettings } from './export-thread/exporter';
import type { ExportThread } from './export-thread/thread';
import { toWire } from './export-thread/wire';

/** Hands each batch to the export thread, as plain data. */
class ThreadExporter implements SpanExporter {
  constructor(private readonly thread: ExportThread) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.thread
      .exportSpans(spans.map(toWire))
      .then(({ ok, error }) =>
        done(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error }),
      );
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** What the export thread needs to export spans, or undefined when they stay on this thread. */
export function threadSettings(
  config: ObskitConfig,
  resource: Record<string, unknown>,
): SpanExportSettings | undefined {
  if (config.exporter !== 'otlp' && config.exporter !== 'jaeger') return undefined;
  return {
    exporter: config.exporter,
    otlp: config.otlp,
    jaegerEndpoint: config.jaegerEndpoint,
    resource,
  };
}

/** The configured exporter, or undefined for `none`; console prints from this thread, at once. */
export function createExporter(
  config: ObskitConfig,
  thread: ExportThread,
): SpanExporter | undefined {
  switch (config.exporter) {
    case 'otlp':
    case 'jaeger':
      return new ThreadExporter(thread);
    case 'console': {
      const { ConsoleSpanExporter } = require('@opentelemetry/sdk-trace');
      return new ConsoleSpanExporter();
    }
    case 'none':
      return undefined;
  }
}

/** Where spans go, for messages. */
export function exporterTarget(config: ObskitConfig): string {
  if (config.exporter === 'otlp') return `${config.otlp.url} (OTLP ${config.otlp.protocol})`;
  if (config.exporter === 'jaeger') return `${config.jaegerEndpoint} (Jaeger thrift)`;
  return config.exporter;
}
