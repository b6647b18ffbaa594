// obskit's own one-line messages on stderr: never thrown, never repeated without limit.

const prefix = 'obskit: ';

export function warn(message: string): void {
  try {
    process.stderr.write(`${prefix}${message}\n`);
  } catch {
    // A closed stderr must not reach the app.
  }
}

const warned = new Set<string>();

/** Warns the first time `key` is seen, and never again in this process. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  warn(message);
}

/** A warning that repeats at most once per interval, for conditions that come and go. */
export function rateLimitedWarning(intervalMs: number): (message: string) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  return (message) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) return;
    lastAt = now;
    warn(message);
  };
}
