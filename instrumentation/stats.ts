// The telemetry pipeline's own counters, shared by every copy of obskit in the process
// (the preload and the app may load different ones), read by metrics and by tests.

/** One log transport's counters (syslog, fluentd). */
export interface LogTransportStats {
  /** Lines the receiver took: written to its socket (syslog) or acknowledged (fluentd); a line sent again after a lost connection counts again. */
  shipped: number;
  /** Lines lost: the queue was full while the receiver was away. */
  dropped: number;
  /** Lines waiting in the queue now. */
  queued: number;
  /** How many lines the queue holds at most (OBSKIT_LOG_QUEUE_SIZE). */
  capacity: number;
}

export interface TelemetryStats {
  /** Spans handed to the exporter and acknowledged by the backend. */
  spansExported: number;
  /** Spans lost: the queue was full, or the backend refused or could not be reached. */
  spansDropped: number;
  /** Spans waiting in the queue now. */
  spansQueued: number;
  /** How many spans the queue holds at most. */
  spanQueueCapacity: number;
  /** Per shipping log transport, by name. */
  logs: Record<string, LogTransportStats>;
}

const key = Symbol.for('obskit.telemetry-stats');
const holder = globalThis as { [key]?: TelemetryStats };

holder[key] ??= {
  spansExported: 0,
  spansDropped: 0,
  spansQueued: 0,
  spanQueueCapacity: 0,
  logs: {},
};
// A holder made by an older copy of obskit has no log counters yet.
holder[key].logs ??= {};

export const stats: TelemetryStats = holder[key];

/** The counters of one log transport, created at zero on first use. */
export function logTransportStats(name: string, capacity: number): LogTransportStats {
  stats.logs[name] ??= { shipped: 0, dropped: 0, queued: 0, capacity };
  stats.logs[name].capacity = capacity;
  return stats.logs[name];
}

/** A copy of the counters at this moment. */
export function telemetryStats(): TelemetryStats {
  const logs = Object.fromEntries(
    Object.entries(stats.logs).map(([name, counters]) => [name, { ...counters }]),
  );
  return { ...stats, logs };
}
