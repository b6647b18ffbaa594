// The last flush: whichever way the process ends (process.exit() from the app or from its own
// signal handler, the end of the event loop, an uncaught exception, a signal it leaves to us),
// what is queued is delivered first, within OBSKIT_SHUTDOWN_TIMEOUT_MS, while the app's thread
// waits for the export thread. How the process ends stays exactly as it would have been.

import type { ExportThread } from './export-thread/thread';
import { live } from './logs/in-flight';

/** The spans' part of the last flush. */
export interface SpansAtExit {
  /** Hands every queued span to the export thread; returns how many it has not settled yet. */
  handOff(): number;
  /** After the flush: `exported` of the `unsettled` spans reached the backend. */
  settle(exported: number, unsettled: number): void;
}

const installed = Symbol.for('obskit.last-flush');
const lastSteps = new Set<() => void>();

/** A quick synchronous step (such as removing a file) that runs first at the last flush. */
export function atLastFlush(step: () => void): void {
  lastSteps.add(step);
}

function runLastSteps(): void {
  for (const step of lastSteps) {
    try {
      step();
    } catch {
      // Nothing at exit may change how the process ends.
    }
  }
}
const stopSignals = ['SIGTERM', 'SIGINT'] as const;

/** Once per process, by the preload, or by the obskit logger when it runs without it. */
export function installLastFlush(
  thread: ExportThread,
  timeoutMs: number,
  spans?: SpansAtExit,
): void {
  const holder = globalThis as { [installed]?: boolean };
  if (holder[installed]) return;
  holder[installed] = true;
  let flushed = false;
  const lastFlush = () => {
    if (flushed) return;
    flushed = true;
    runLastSteps();
    flushNow(thread, Date.now() + timeoutMs, spans);
  };
  // Node emits 'exit' for process.exit(), the end of the loop and an uncaught error, whose
  // report it prints afterwards.
  process.on('exit', lastFlush);
  for (const signal of stopSignals) {
    const onSignal = () => {
      // With handlers of its own the app decides how to end; the flush runs at 'exit'.
      if (process.listenerCount(signal) > 1) return;
      // Alone, we stand in for node's default: flush, then die by the same signal.
      process.removeListener(signal, onSignal);
      lastFlush();
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Blocks until everything is delivered or the deadline; with nothing queued it costs nothing. */
function flushNow(thread: ExportThread, deadline: number, spans?: SpansAtExit): void {
  try {
    const exportedBefore = thread.spansExported;
    const unsettled = spans?.handOff() ?? 0;
    const holding = [...live].flatMap((transport) => {
      const handoff = transport.handOff();
      return handoff ? [{ transport, handoff }] : [];
    });
    if (unsettled === 0 && holding.length === 0) return;
    const finished = thread.finish(
      holding.map((entry) => entry.handoff),
      deadline,
    );
    spans?.settle(finished.spansExported - exportedBefore, unsettled);
    for (const [index, { transport }] of holding.entries())
      transport.settleAtExit(finished.linesDelivered[index] ?? 0);
  } catch {
    // Nothing at exit may change how the process ends.
  }
}
