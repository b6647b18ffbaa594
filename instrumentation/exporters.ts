// The span exporter OTEL_TRACES_EXPORTER names. Each is loaded on its first export, so a
// process that never ends a span never pays for protobuf or thrift.

import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ObskitConfig } from './config';

class LazyExporter implements SpanExporter {
  private exporter: SpanExporter | undefined;

  constructor(private readonly load: () => SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      this.exporter ??= this.load();
      this.exporter.export(spans, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.exporter?.shutdown() ?? Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return this.exporter?.forceFlush?.() ?? Promise.resolve();
  }
}

function otlpExporter(config: ObskitConfig): SpanExporter {
  const options = {
    url: config.otlp.url,
    headers: { ...config.otlp.headers },
    timeoutMillis: config.otlp.timeoutMs,
  };
  if (config.otlp.protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

function jaegerExporter(config: ObskitConfig): SpanExporter {
  const { JaegerExporter } = require('@opentelemetry/exporter-jaeger');
  return new JaegerExporter({ endpoint: config.jaegerEndpoint });
}

function consoleExporter(): SpanExporter {
  const { ConsoleSpanExporter } = require('@opentelemetry/sdk-trace');
  return new ConsoleSpanExporter();
}

/** The configured exporter, or undefined for `none`. */
export function createExporter(config: ObskitConfig): SpanExporter | undefined {
  switch (config.exporter) {
    case 'otlp':
      return new LazyExporter(() => otlpExporter(config));
    case 'jaeger':
      return new LazyExporter(() => jaegerExporter(config));
    case 'console':
      return new LazyExporter(consoleExporter);
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
