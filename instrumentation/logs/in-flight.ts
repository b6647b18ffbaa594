// Every shipping transport of the process, whichever copy of obskit made it: at exit the last
// flush takes the lines each still holds, and each counts what could not be delivered.
// No imports, so the preload can load this without loading winston.

/** What the export thread needs to open a link like the transport's own: plain data. */
export interface TransportSpec {
  kind: 'syslog' | 'fluentd';
  /** The receiver, as OBSKIT_LOG_SYSLOG_URL or OBSKIT_LOG_FLUENTD_URL gives it. */
  url: string;
  /** The syslog APP-NAME or the Fluentd tag. */
  name: string;
}

/** The lines a transport still holds at exit, handed to the export thread. */
export interface LogHandoff {
  spec: TransportSpec;
  lines: string[];
}

export interface InFlight {
  /** At exit: the lines not yet delivered, or undefined when there are none. */
  handOff(): LogHandoff | undefined;
  /** After the last flush: the first `delivered` handed-off lines arrived; the rest are counted as lost and reported. */
  settleAtExit(delivered: number): void;
}

const key = Symbol.for('obskit.shipping-transports');
const holder = globalThis as { [key]?: Set<InFlight> };

holder[key] ??= new Set();
export const live: Set<InFlight> = holder[key];
