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
import type { SpanExportSettings } from './export-thread/exporter';
import { ExportThread } from './export-thread/thread';
import { createExporter, exporterTarget, threadSettings } from './exporters';
import { startLeanPath } from './lean/start';
import type { RedSpanProcessor } from './metrics';
import { RedactionSpanProcessor } from './redaction';
import type { SpansAtExit } from './shutdown';
import { stats } from './stats';
import { obskitVersion } from './version';
import { warn } from './warn';

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
  /** Exports spans, and at exit delivers what the obskit logger still holds. */
  thread: ExportThread;
  atExit: SpansAtExit;
}

/** What either path's queue gives the last flush. */
interface SpanQueue {
  overflowed: number;
  handOffAtExit(): void;
}

/** At exit, the batch's spans go to the export thread, and what did not arrive is counted. */
function spansAtExit(config: ObskitConfig, thread: ExportThread, batch?: SpanQueue): SpansAtExit {
  return {
    handOff: () => {
      batch?.handOffAtExit();
      return thread.unsettledSpans;
    },
    settle: (exported, unsettled) => {
      // The export thread's counts are the truth: some outcomes never reached this thread.
      stats.spansExported = thread.spansExported;
      stats.spansDropped = (batch?.overflowed ?? 0) + thread.posted - thread.spansExported;
      const lost = unsettled - exported;
      if (lost > 0)
        warn(
          `${lost} spans were not exported to ${exporterTarget(config)} before exit (OBSKIT_SHUTDOWN_TIMEOUT_MS)`,
        );
    },
  };
}

/** The SDK's TracerProvider and span processors: the path before the lean one, for one release. */
function startSdkPath(
  config: ObskitConfig,
  sampler: Sampler,
  resource: ReturnType<typeof createResource>,
  settings: SpanExportSettings | undefined,
  onExport: (outcome: ExportOutcome) => void,
  metrics?: SpanProcessor,
): { thread: ExportThread; batch: BoundedBatchSpanProcessor | undefined } {
  const thread = new ExportThread(settings);
  const exporter = createExporter(config, thread);
  // The export thread starts with the first span, between two turns of the loop: a process that
  // makes no span (a CLI under NODE_OPTIONS) never starts it, and the exporter has loaded on
  // its own thread long before the first export.
  const startThread = () => setImmediate(() => thread.start()).unref();
  const batch = exporter
    ? new BoundedBatchSpanProcessor(exporter, config.batch, onExport, settings && startThread)
    : undefined;
  const spanProcessors: SpanProcessor[] = [
    ...(config.redact ? [new RedactionSpanProcessor(config.redactQueryParams)] : []),
    ...(metrics ? [metrics] : []),
    ...(batch ? [batch] : []),
  ];
  trace.setGlobalTracerProvider(new TracerProvider({ resource, sampler, spanProcessors }));
  return { thread, batch };
}

/** The lean path, unless OBSKIT_SPAN_PATH=sdk; console prints SDK spans, so it keeps the SDK's. */
const leanPath = (config: ObskitConfig) =>
  config.spanPath === 'lean' && config.exporter !== 'console';

/**
 * `metrics` sees every span, sampled or not, so that counts are exact at any sampling ratio:
 * the sampler then records all spans, and only the sampled ones are exported.
 */
export function startTracing(
  config: ObskitConfig,
  onExport: (outcome: ExportOutcome) => void,
  metrics?: RedSpanProcessor,
): Tracing {
  const resource = createResource(config);
  const settings = threadSettings(config, resource.attributes);
  const configured = createSampler(config);
  const sampler = metrics ? createAlwaysRecordSampler(configured) : configured;
  const { thread, batch } = leanPath(config)
    ? startLeanPath(config, sampler, settings, onExport, metrics)
    : startSdkPath(config, sampler, resource, settings, onExport, metrics);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: config.propagators.map((name) =>
        name === 'tracecontext' ? new W3CTraceContextPropagator() : new W3CBaggagePropagator(),
      ),
    }),
  );
  return { thread, atExit: spansAtExit(config, thread, batch) };
}
