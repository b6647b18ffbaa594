// A batching span processor with a bounded queue that counts every span it loses.
// OpenTelemetry's own BatchSpanProcessor drops silently; obskit exports the count as a metric.

import { context, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ObskitConfig } from './config';
import { stats } from './stats';

export interface ExportOutcome {
  ok: boolean;
  error?: Error;
}

export class BoundedBatchSpanProcessor implements SpanProcessor {
  private readonly queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Spans dropped because the queue was full. */
  overflowed = 0;

  /** Called once, when the first span is queued: the exporter can get ready then. */
  private onFirstSpan: (() => void) | undefined;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly options: ObskitConfig['batch'],
    private readonly onOutcome: (outcome: ExportOutcome) => void,
    onFirstSpan?: () => void,
  ) {
    stats.spanQueueCapacity = options.maxQueueSize;
    this.onFirstSpan = onFirstSpan;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.options.maxQueueSize) {
      stats.spansDropped++;
      this.overflowed++;
      return;
    }
    this.queue.push(span);
    stats.spansQueued = this.queue.length;
    if (this.onFirstSpan) {
      const ready = this.onFirstSpan;
      this.onFirstSpan = undefined;
      ready();
    }
    if (this.queue.length >= this.options.maxExportBatchSize) this.exportNext();
    else this.schedule();
  }

  /** Spans still waiting or being exported. */
  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportNext();
    }, this.options.scheduleDelayMs);
    this.timer.unref();
  }

  /** Starts exporting one batch unless one is already on its way; returns when it is done. */
  private exportNext(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const batch = this.queue.splice(0, this.options.maxExportBatchSize);
    stats.spansQueued = this.queue.length;
    if (batch.length === 0) return Promise.resolve();
    this.inFlight = this.send(batch).then((result) => {
      this.inFlight = undefined;
      this.count(batch.length, result);
      if (this.queue.length >= this.options.maxExportBatchSize) this.exportNext();
      else if (this.queue.length > 0) this.schedule();
    });
    return this.inFlight;
  }

  private count(spans: number, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) stats.spansExported += spans;
    else stats.spansDropped += spans;
    this.onOutcome({ ok: result.code === ExportResultCode.SUCCESS, error: result.error });
  }

  /** Exports one batch with a deadline; the export's own HTTP calls are not traced. */
  private send(batch: ReadableSpan[]): Promise<ExportResult> {
    return new Promise((resolve) => {
      const timeout = setTimeout(
        () => resolve({ code: ExportResultCode.FAILED, error: new Error('export timed out') }),
        this.options.exportTimeoutMs,
      );
      timeout.unref();
      const done = (result: ExportResult) => {
        clearTimeout(timeout);
        resolve(result);
      };
      try {
        context.with(suppressTracing(context.active()), () => this.exporter.export(batch, done));
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error as Error });
      }
    });
  }

  /** Exports everything queued, batch after batch, until empty or `deadline` (epoch ms). */
  async flush(deadline = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending > 0 && Date.now() < deadline) {
      await beforeDeadline(this.exportNext(), deadline);
    }
  }

  /** At exit: hands every queued span to the exporter at once, without waiting for answers. */
  handOffAtExit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxExportBatchSize);
      this.exporter.export(batch, (result) => this.count(batch.length, result));
    }
    stats.spansQueued = 0;
  }

  forceFlush(): Promise<void> {
    return this.flush();
  }

  async shutdown(): Promise<void> {
    await this.flush();
    await this.exporter.shutdown();
  }
}

/** Waits for `work` or the deadline, whichever comes first; the timer keeps the process up till then. */
function beforeDeadline(work: Promise<void>, deadline: number): Promise<void> {
  if (!Number.isFinite(deadline)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
