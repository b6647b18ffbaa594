// A winston transport that ships lines to a network receiver (syslog, Fluentd) without ever
// hurting the app: log() returns at once, lines wait in a bounded queue while the receiver is
// away, the link reconnects with capped backoff, one warning per outage, drops are counted.

import Transport from 'winston-transport';
import { type LogTransportStats, logTransportStats } from '../stats';
import { rateLimitedWarning, warn } from '../warn';
import type { LogInfo } from './ecs-format';
import { type LogHandoff, live, type TransportSpec } from './in-flight';

/** One connection to the receiver, opened by a LinkFactory. */
export interface Link {
  /** Sends lines; `done` once: no argument when the receiver took them all, else the error. */
  send(lines: readonly string[], done: (error?: Error) => void): void;
  /** Whether the process may exit while the link is idle. */
  setKeepsProcessAlive(keep: boolean): void;
  /** Whether everything sent so far is in the kernel's hands, so that it survives the process. */
  allWritten?(): boolean;
  close(): void;
}

export interface LinkEvents {
  up(): void;
  down(error: Error): void;
}

export interface ShippingOptions {
  /** The kind of link and where it goes; its kind names the transport in counters, metrics and warnings. */
  spec: TransportSpec;
  queueSize: number;
  open(events: LinkEvents): Link;
  /** The line to queue for one record: formatted and framed once, when logged. */
  lineOf(info: LogInfo): string;
  /**
   * How long a line handed to the socket may still be lost with the connection (plain TCP has
   * no acknowledgement); such lines are sent again after a reconnect, and the receiver drops
   * the copies by their id. 0 when the receiver acknowledges.
   */
  resendWindowMs: number;
  /** Lines per send. */
  batchSize?: number;
}

const backoff = { firstMs: 100, maxMs: 5000 };
const outageWarningIntervalMs = 60_000;

export class ShippingTransport extends Transport {
  private readonly options: ShippingOptions;
  private readonly queue: string[] = [];
  /** Lines written lately without acknowledgement, with when they were written. */
  private recent: { line: string; at: number }[] = [];
  private readonly counters: LogTransportStats;
  private link: Link | undefined;
  private state: 'idle' | 'connecting' | 'up' | 'waiting' = 'idle';
  /** Lines of the queue's head handed to the link and not yet confirmed; 0 when none. */
  private sending = 0;
  private attempts = 0;
  /** Bumped whenever a link is dropped, so its late events are ignored. */
  private generation = 0;
  private readonly warnOutage = rateLimitedWarning(outageWarningIntervalMs);

  constructor(options: ShippingOptions) {
    super();
    this.options = options;
    this.counters = logTransportStats(options.spec.kind, options.queueSize);
    live.add(this);
  }

  private get name(): string {
    return this.options.spec.kind;
  }

  private get target(): string {
    return this.options.spec.url;
  }

  pending(): number {
    return this.queue.length;
  }

  /** Queues lines already formatted, as the export thread does with those handed to it at exit. */
  ship(lines: readonly string[]): void {
    for (const line of lines) this.enqueue(line);
  }

  override log(info: LogInfo, callback: () => void): void {
    try {
      this.enqueue(this.options.lineOf(info));
    } catch (error) {
      warn(`${this.name} transport could not format a line: ${(error as Error).message}`);
    }
    callback();
  }

  private enqueue(line: string): void {
    if (this.queue.length >= this.options.queueSize) {
      this.counters.dropped++;
      return;
    }
    this.queue.push(line);
    this.counters.queued = this.queue.length;
    if (this.state === 'idle') this.connect();
    else this.pump();
  }

  private connect(): void {
    this.state = 'connecting';
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    try {
      this.link = this.options.open({
        up: () => current() && this.onUp(),
        down: (error) => current() && this.onDown(error),
      });
    } catch (error) {
      this.onDown(error as Error);
    }
  }

  private onUp(): void {
    if (this.attempts > 0) warn(`${this.name} receiver at ${this.target} is back`);
    this.state = 'up';
    this.attempts = 0;
    this.pump();
  }

  private onDown(error: Error): void {
    if (this.state === 'waiting') return;
    this.generation++;
    this.link?.close();
    this.link = undefined;
    this.sending = 0;
    this.requeueRecent();
    this.state = 'waiting';
    if (this.attempts === 0) {
      this.warnOutage(
        `${this.name} receiver at ${this.target} is unreachable (${error.message}); ` +
          `holding up to ${this.options.queueSize} lines (OBSKIT_LOG_QUEUE_SIZE) and reconnecting`,
      );
    }
    const delay = Math.min(backoff.maxMs, backoff.firstMs * 2 ** this.attempts);
    this.attempts++;
    // Jitter keeps many instances from reconnecting in step.
    setTimeout(() => this.connect(), delay * (0.5 + Math.random() / 2)).unref();
  }

  /** Lines that may have died with the connection go first on the next one. */
  private requeueRecent(): void {
    const since = Date.now() - this.options.resendWindowMs;
    const again = this.recent.filter((entry) => entry.at >= since).map((entry) => entry.line);
    this.recent = [];
    const room = this.options.queueSize - this.queue.length;
    // When the queue is full, the newest lines are the ones dropped, as for any full queue.
    const overflow = Math.max(0, again.length - room);
    this.queue.unshift(...again);
    if (overflow > 0) {
      this.queue.length -= overflow;
      this.counters.dropped += overflow;
    }
    this.counters.queued = this.queue.length;
  }

  private pump(): void {
    if (this.state !== 'up' || this.sending > 0 || this.queue.length === 0 || !this.link) return;
    const batch = this.queue.slice(0, this.options.batchSize ?? 500);
    const link = this.link;
    this.sending = batch.length;
    link.setKeepsProcessAlive(true);
    const generation = this.generation;
    link.send(batch, (error) => {
      if (generation !== this.generation) return;
      this.sending = 0;
      if (error) return this.onDown(error);
      this.sent(batch);
      if (this.queue.length === 0) link.setKeepsProcessAlive(false);
      else this.pump();
    });
  }

  private sent(batch: readonly string[]): void {
    this.queue.splice(0, batch.length);
    this.counters.queued = this.queue.length;
    this.counters.shipped += batch.length;
    if (this.options.resendWindowMs === 0) return;
    const now = Date.now();
    for (const line of batch) this.recent.push({ line, at: now });
    const since = now - this.options.resendWindowMs;
    const expired = this.recent.findIndex((entry) => entry.at >= since);
    // Bounded like the queue: at a high rate only the newest lines are kept for resending.
    const beyond = this.recent.length - this.options.queueSize;
    this.recent.splice(0, Math.max(expired === -1 ? this.recent.length : expired, beyond));
  }

  /** At exit: the lines not yet delivered; a batch already in the kernel's hands counts as sent. */
  handOff(): LogHandoff | undefined {
    if (this.sending > 0 && this.link?.allWritten?.()) {
      this.generation++;
      this.sent(this.queue.slice(0, this.sending));
      this.sending = 0;
    }
    if (this.queue.length === 0) return undefined;
    return { spec: this.options.spec, lines: [...this.queue] };
  }

  /** After the last flush: lines still queued are lost; count them and say so. */
  settleAtExit(delivered: number): void {
    this.counters.shipped += delivered;
    this.queue.splice(0, delivered);
    this.counters.queued = this.queue.length;
    if (this.queue.length === 0) return;
    this.counters.dropped += this.queue.length;
    warn(
      `${this.queue.length} log lines were not shipped to ${this.name} at ${this.target} ` +
        'before exit (OBSKIT_SHUTDOWN_TIMEOUT_MS)',
    );
    this.queue.length = 0;
    this.counters.queued = 0;
  }

  /** Waits until the queue is empty or the deadline (epoch ms) passed; never rejects. */
  flush(deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.queue.length === 0 || Date.now() >= deadline) return resolve();
        setTimeout(check, 10);
      };
      check();
    });
  }

  override close(): void {
    live.delete(this);
    this.generation++;
    this.link?.close();
    this.link = undefined;
    this.state = 'idle';
  }
}
