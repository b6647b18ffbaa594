// The lean span path set up: obskit's tracer provider as the global one, each ended span
// scrubbed, fed to RED and, when sampled, written to the export thread's ring.

import { TraceFlags, trace } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { ExportOutcome } from '../batch-processor';
import type { ObskitConfig } from '../config';
import type { SpanExportSettings } from '../export-thread/exporter';
import { ExportThread } from '../export-thread/thread';
import type { RedSpanProcessor } from '../metrics';
import { scrubSlots } from '../redaction';
import { RingBatcher, ringBytes } from './batcher';
import { SpanRing } from './ring';
import type { LeanSpan } from './span';
import { LeanTracerProvider } from './tracer';

export interface LeanPath {
  thread: ExportThread;
  batch: RingBatcher | undefined;
}

export function startLeanPath(
  config: ObskitConfig,
  sampler: Sampler,
  settings: SpanExportSettings | undefined,
  onExport: (outcome: ExportOutcome) => void,
  metrics?: RedSpanProcessor,
): LeanPath {
  const ring = settings ? SpanRing.create(ringBytes(config.batch)) : undefined;
  const thread = new ExportThread(settings, ring?.buffer);
  // The export thread starts with the first span, as on the SDK path (tracing.ts says why).
  const startThread = () => setImmediate(() => thread.start()).unref();
  const batch = ring
    ? new RingBatcher(thread, () => provider, config.batch, onExport, startThread, ring)
    : undefined;
  const redact = config.redact;
  const extraParams = config.redactQueryParams;
  const ended = (span: LeanSpan) => {
    if (redact) scrubSlots(span.slots, span.slotCount, extraParams);
    metrics?.observe(span);
    if (batch && (span.context.traceFlags & TraceFlags.SAMPLED) !== 0) batch.add(span);
  };
  const provider = new LeanTracerProvider(sampler, ended);
  trace.setGlobalTracerProvider(provider);
  return { thread, batch };
}
