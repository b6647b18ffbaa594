// The lean path's bounded queue: each sampled span that ends is written into the ring, and
// batches of them are handed to the export thread by count; what does not fit is dropped and
// counted, what the thread does not export is counted there. The batch processor's rules.

import type { ExportOutcome } from '../batch-processor';
import type { ObskitConfig } from '../config';
import type { ExportThread } from '../export-thread/thread';
import { stats } from '../stats';
import { ByteWriter } from './bytes';
import { encodeSpan } from './encode';
import { SpanRing } from './ring';
import type { LeanSpan } from './span';
import type { LeanTracerProvider } from './tracer';

/** Bytes of ring per span the queue may hold: room for spans of a kilobyte on average. */
const ringBytesPerSpan = 1024;

export const ringBytes = (options: ObskitConfig['batch']) =>
  Math.min(256 * 1024 * 1024, Math.max(256 * 1024, options.maxQueueSize * ringBytesPerSpan));

export class RingBatcher {
  readonly ring: SpanRing;
  private readonly writer = new ByteWriter();
  /** Spans in the ring not yet handed to the thread. */
  private queued = 0;
  private scopesSent = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Spans dropped because the queue (or the ring) was full. */
  overflowed = 0;

  constructor(
    private readonly thread: ExportThread,
    private readonly provider: () => LeanTracerProvider,
    private readonly options: ObskitConfig['batch'],
    private readonly onOutcome: (outcome: ExportOutcome) => void,
    private onFirstSpan: (() => void) | undefined,
    ring = SpanRing.create(ringBytes(options)),
  ) {
    this.ring = ring;
    stats.spanQueueCapacity = options.maxQueueSize;
  }

  /** A sampled span has ended. */
  add(span: LeanSpan): void {
    if (this.queued >= this.options.maxQueueSize || !this.write(span)) {
      stats.spansDropped++;
      this.overflowed++;
      return;
    }
    stats.spansQueued = ++this.queued;
    if (this.onFirstSpan) {
      const ready = this.onFirstSpan;
      this.onFirstSpan = undefined;
      ready();
    }
    if (this.queued >= this.options.maxExportBatchSize) this.exportNext();
    else this.schedule();
  }

  private write(span: LeanSpan): boolean {
    const writer = this.writer;
    writer.reset();
    encodeSpan(writer, span);
    return this.ring.write(writer.buffer, writer.at);
  }

  get pending(): number {
    return this.queued + (this.inFlight ? 1 : 0);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportNext();
    }, this.options.scheduleDelayMs);
    this.timer.unref();
  }

  /** Hands the next `count` spans of the ring to the thread. */
  private handOver(count: number): Promise<ExportOutcome> {
    this.queued -= count;
    stats.spansQueued = this.queued;
    const scopes = this.provider().scopes;
    const named = scopes.slice(this.scopesSent);
    this.scopesSent = scopes.length;
    const outcome = this.thread.exportRing(count, named, this.writer.keys.unsent());
    // A thread that failed reads nothing: its spans are freed here, and counted as dropped.
    if (this.thread.failed) this.ring.read(count, () => {});
    return outcome;
  }

  private exportNext(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const count = Math.min(this.queued, this.options.maxExportBatchSize);
    if (count === 0) return Promise.resolve();
    this.inFlight = withTimeout(this.handOver(count), this.options.exportTimeoutMs).then(
      (outcome) => {
        this.inFlight = undefined;
        this.count(count, outcome);
        if (this.queued >= this.options.maxExportBatchSize) this.exportNext();
        else if (this.queued > 0) this.schedule();
      },
    );
    return this.inFlight;
  }

  private count(spans: number, outcome: ExportOutcome): void {
    if (outcome.ok) stats.spansExported += spans;
    else stats.spansDropped += spans;
    this.onOutcome(outcome);
  }

  /** At exit: hands every queued span to the thread at once, without waiting for answers. */
  handOffAtExit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queued > 0) {
      const count = Math.min(this.queued, this.options.maxExportBatchSize);
      this.handOver(count).then((outcome) => this.count(count, outcome));
    }
  }
}

function withTimeout(work: Promise<ExportOutcome>, ms: number): Promise<ExportOutcome> {
  return new Promise((resolve) => {
    const timeout = setTimeout(
      () => resolve({ ok: false, error: new Error('export timed out') }),
      ms,
    );
    timeout.unref();
    work.then((outcome) => {
      clearTimeout(timeout);
      resolve(outcome);
    });
  });
}
