// The telemetry pipeline's own counters, shared by every copy of obskit in the process
// (the preload and the app may load different ones), read by metrics and by tests.

export interface TelemetryStats {
  /** Spans handed to the exporter and acknowledged by the backend. */
  spansExported: number;
  /** Spans lost: the queue was full, or the backend refused or could not be reached. */
  spansDropped: number;
  /** Spans waiting in the queue now. */
  spansQueued: number;
  /** How many spans the queue holds at most. */
  spanQueueCapacity: number;
}

const key = Symbol.for('obskit.telemetry-stats');
const holder = globalThis as { [key]?: TelemetryStats };

holder[key] ??= { spansExported: 0, spansDropped: 0, spansQueued: 0, spanQueueCapacity: 0 };

export const stats: TelemetryStats = holder[key];

/** A copy of the counters at this moment. */
export function telemetryStats(): TelemetryStats {
  return { ...stats };
}
