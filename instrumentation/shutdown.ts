// Flushing the last spans when the process ends, without changing how it ends:
// the same exit code, the same default signal behaviour, the same crash on an uncaught error.

type Flush = (deadline: number) => Promise<void>;

const stopSignals = ['SIGTERM', 'SIGINT'] as const;

export function installShutdownHooks(flush: Flush, pending: () => number, timeoutMs: number): void {
  const flushWithDeadline = () => flush(Date.now() + timeoutMs).catch(() => {});

  // The loop is empty: export what is left; the export keeps the process alive until done.
  process.on('beforeExit', () => {
    if (pending() > 0) flushWithDeadline();
  });

  for (const signal of stopSignals) {
    const onSignal = () => {
      // With handlers of its own the app decides when to exit; we only flush.
      if (process.listenerCount(signal) > 1) {
        flushWithDeadline();
        return;
      }
      // Alone, we stand in for node's default: flush, then die by the same signal.
      process.removeListener(signal, onSignal);
      flushWithDeadline().then(() => process.kill(process.pid, signal));
    };
    process.on(signal, onSignal);
  }

  const onUncaught = (error: unknown, origin: NodeJS.UncaughtExceptionOrigin) => {
    if (process.listenerCount('uncaughtException') > 1) {
      flushWithDeadline();
      return;
    }
    process.removeListener('uncaughtException', onUncaught);
    flushWithDeadline().then(() => rethrow(error, origin));
  };
  process.on('uncaughtException', onUncaught);
}

/** Hands the error back to node's default handling, as it would have been without us. */
function rethrow(error: unknown, origin: NodeJS.UncaughtExceptionOrigin): void {
  if (origin === 'unhandledRejection') {
    Promise.reject(error);
    return;
  }
  process.nextTick(() => {
    throw error;
  });
}
