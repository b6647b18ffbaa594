// Every shipping transport of the process, whichever copy of obskit made it: the preload
// flushes them at shutdown, and what is still queued at exit is counted as lost.
// No imports, so the preload can load this without loading winston.

export interface InFlight {
  pending(): number;
  flush(deadline: number): Promise<void>;
  countUnsentAtExit(): void;
}

const key = Symbol.for('obskit.shipping-transports');
const holder = globalThis as { [key]?: Set<InFlight> };

holder[key] ??= new Set();
export const live: Set<InFlight> = holder[key];

/** Lines waiting in every shipping transport. */
export const pendingLogLines = () => [...live].reduce((sum, t) => sum + t.pending(), 0);

/** Ships what is queued, until `deadline` (epoch ms); never rejects. */
export const flushLogLines = (deadline: number) =>
  Promise.all([...live].map((t) => t.flush(deadline))).then(() => {});

export function countUnsentAtExit(): void {
  for (const transport of live) transport.countUnsentAtExit();
}
