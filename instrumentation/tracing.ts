// The tracer provider: resource, sampler, processors, W3C propagation and async context.

import { hostname } from 'node:os';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  createAlwaysRecordSampler,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { BoundedBatchSpanProcessor, type ExportOutcome } from './batch-processor';
import type { ObskitConfig } from './config';
import { createExporter } from './exporters';
import { RedactionSpanProcessor } from './redaction';
import { obskitVersion } from './version';

const sdkVersion = require('@opentelemetry/sdk-trace/package.json').version as string;

export function createSampler(config: ObskitConfig): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** Only attributes known without I/O: no detector calls the network. */
function createResource(config: ObskitConfig) {
  return resourceFromAttributes({
    'service.name': config.serviceName,
    ...(config.serviceVersion ? { 'service.version': config.serviceVersion } : {}),
    'service.instance.id': `${hostname()}:${process.pid}`,
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': sdkVersion,
    'telemetry.distro.name': 'obskit',
    'telemetry.distro.version': obskitVersion,
    ...config.resourceAttributes,
  });
}

export interface Tracing {
  flush: (deadline: number) => Promise<void>;
  pending: () => number;
}

/**
 * `metrics` sees every span, sampled or not, so that counts are exact at any sampling ratio:
 * the sampler then records all spans, and only the sampled ones are exported.
 */
export function startTracing(
  config: ObskitConfig,
  onExport: (outcome: ExportOutcome) => void,
  metrics?: SpanProcessor,
): Tracing {
  const exporter = createExporter(config);
  const batch = exporter
    ? new BoundedBatchSpanProcessor(exporter, config.batch, onExport)
    : undefined;
  const spanProcessors: SpanProcessor[] = [
    ...(config.redact ? [new RedactionSpanProcessor(config.redactQueryParams)] : []),
    ...(metrics ? [metrics] : []),
    ...(batch ? [batch] : []),
  ];
  const sampler = createSampler(config);
  const provider = new TracerProvider({
    resource: createResource(config),
    sampler: metrics ? createAlwaysRecordSampler(sampler) : sampler,
    spanProcessors,
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: config.propagators.map((name) =>
        name === 'tracecontext' ? new W3CTraceContextPropagator() : new W3CBaggagePropagator(),
      ),
    }),
  );
  return {
    flush: (deadline) => batch?.flush(deadline) ?? Promise.resolve(),
    pending: () => batch?.pending ?? 0,
  };
}
