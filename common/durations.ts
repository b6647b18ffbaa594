// Durations as a user types them on the command line: 30s, 15m, 2h, 1d.

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `text`, or undefined when it is not a positive whole number and a unit. */
export function parseDuration(text: string): number | undefined {
  const [, count, unit = ''] = /^(\d+)([smhd])$/.exec(text.trim()) ?? [];
  const factor = units[unit];
  if (factor === undefined) return undefined;
  const ms = Number(count) * factor;
  return ms > 0 ? ms : undefined;
}
