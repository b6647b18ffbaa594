// Operations run over and over while a test breaks a cluster, counted as they succeed or fail.

/** Runs `operation` every `paceMs` until stopped, counting those that throw. */
export function countedLoop(operation: (round: number) => Promise<void>, paceMs = 50) {
  const counts = { ok: 0, failed: 0, errors: [] as string[] };
  let running = true;
  const done = (async () => {
    for (let round = 0; running; round++) {
      try {
        await operation(round);
        counts.ok++;
      } catch (error) {
        counts.failed++;
        const cause = (error as { cause?: unknown }).cause;
        counts.errors.push(`${error}${cause ? ` (${cause})` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, paceMs));
    }
  })();
  return {
    counts,
    stop: async () => {
      running = false;
      await done;
      return counts;
    },
  };
}
