// The export thread: a worker that owns the span exporter, so that neither loading it nor
// encoding and sending spans runs on the app's thread; and, at exit, the one place that can
// still deliver, while the app's thread waits for it (Atomics.wait) until done or the deadline.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ExportOutcome } from '../batch-processor';
import type { LogHandoff } from '../logs/in-flight';
import type { SpanExportSettings } from './exporter';
import { exportThreadRole } from './role';
import type { WireSpan } from './wire';

/** Slots of the counters the export thread keeps in shared memory, in spans. */
export const counter = { exported: 0, failed: 1 } as const;

/**
 * The thread's young generation: V8 grows it to 16 MB by default, for a thread that holds one
 * batch at a time; 2 MB kept 7 MB of RSS off the hello bench after traffic (bench/README.md).
 */
const resourceLimits = { maxYoungGenerationSizeMb: 2 };

export interface ThreadData {
  role: typeof exportThreadRole;
  /** Where spans go; undefined when the thread only delivers log lines at exit. */
  spans?: SpanExportSettings;
  counters: SharedArrayBuffer;
  /** The lean span path's ring of span records (instrumentation/lean/ring.ts), if it runs. */
  ring?: SharedArrayBuffer;
}

export type ToThread =
  | { type: 'spans'; id: number; spans: WireSpan[] }
  | {
      type: 'ring';
      id: number;
      count: number;
      scopes: InstrumentationScope[];
      /** Attribute keys named since the last batch (instrumentation/lean/keys.ts). */
      keys: string[];
    }
  | { type: 'finish'; logs: LogHandoff[]; deadline: number; result: SharedArrayBuffer };

export interface SpansOutcome {
  id: number;
  ok: boolean;
  error?: string;
}

export interface Finished {
  /** Spans the backend took, since the thread started. */
  spansExported: number;
  /** Per log handoff, in order: how many of its first lines arrived. */
  linesDelivered: number[];
}

export class ExportThread {
  private worker: Worker | undefined;
  private failure: Error | undefined;
  private readonly counters = new Int32Array(new SharedArrayBuffer(8));
  private readonly waiting = new Map<number, (outcome: ExportOutcome) => void>();
  private nextId = 1;
  /** Spans handed to the thread since it started. */
  posted = 0;

  constructor(
    private readonly spans?: SpanExportSettings,
    private readonly ring?: SharedArrayBuffer,
  ) {}

  /** Starts the thread if it is not running; it never keeps the process alive. */
  start(): void {
    if (this.worker || this.failure) return;
    try {
      const data: ThreadData = {
        role: exportThreadRole,
        spans: this.spans,
        counters: this.counters.buffer,
        ring: this.ring,
      };
      // No execArgv: the app's own -r/--import would load the preload into the thread too
      // (NODE_OPTIONS still does: the preload checks isExportThread()).
      const worker = new Worker(join(__dirname, 'worker.js'), {
        workerData: data,
        execArgv: [],
        resourceLimits,
      });
      worker.on('message', (outcome: SpansOutcome) => this.settle(outcome));
      worker.on('error', (error) => this.stopped(error));
      worker.on('exit', () => this.stopped(new Error('the export thread stopped')));
      worker.unref();
      this.worker = worker;
    } catch (error) {
      this.stopped(error as Error);
    }
  }

  exportSpans(spans: WireSpan[]): Promise<ExportOutcome> {
    return this.post(spans.length, (id) => ({ type: 'spans', id, spans }));
  }

  /** The next `count` records of the ring, and the scopes and keys named since the last call. */
  exportRing(
    count: number,
    scopes: InstrumentationScope[],
    keys: string[],
  ): Promise<ExportOutcome> {
    return this.post(count, (id) => ({ type: 'ring', id, count, scopes, keys }));
  }

  private post(spans: number, message: (id: number) => ToThread): Promise<ExportOutcome> {
    this.start();
    if (!this.worker) return Promise.resolve({ ok: false, error: this.failure });
    const id = this.nextId++;
    this.posted += spans;
    this.worker.postMessage(message(id));
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Whether the thread runs or may still start; once it has failed, nothing reads the ring. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Spans handed over whose fate the thread has not told yet. */
  get unsettledSpans(): number {
    return (
      this.posted -
      Atomics.load(this.counters, counter.exported) -
      Atomics.load(this.counters, counter.failed)
    );
  }

  get spansExported(): number {
    return Atomics.load(this.counters, counter.exported);
  }

  /**
   * Blocks the calling thread until the export thread has settled every span handed to it and
   * delivered `logs`, or until `deadline` (epoch ms).
   */
  finish(logs: LogHandoff[], deadline: number): Finished {
    if (logs.length > 0) this.start();
    const result = new Int32Array(new SharedArrayBuffer(4 * (1 + logs.length)));
    if (this.worker) {
      this.worker.postMessage({
        type: 'finish',
        logs,
        deadline,
        result: result.buffer,
      } satisfies ToThread);
      Atomics.wait(result, 0, 0, Math.max(0, deadline - Date.now()));
    }
    return {
      spansExported: this.spansExported,
      linesDelivered: logs.map((_, index) => Atomics.load(result, index + 1)),
    };
  }

  private settle({ id, ok, error }: SpansOutcome): void {
    const resolve = this.waiting.get(id);
    this.waiting.delete(id);
    resolve?.({ ok, error: error === undefined ? undefined : new Error(error) });
  }

  /** A thread that failed is not restarted: every export after it fails, and is counted. */
  private stopped(error: Error): void {
    this.failure ??= error;
    this.worker = undefined;
    for (const resolve of this.waiting.values()) resolve({ ok: false, error });
    this.waiting.clear();
  }
}
