// Trace and span IDs: random bytes filled in bulk into one pooled buffer, read out as hex.

import { randomFillSync } from 'node:crypto';

const pool = Buffer.allocUnsafe(4096);
/** Buffer's own hex codec, which toString('hex') reaches after checking its arguments. */
const hex = (pool as unknown as { hexSlice(start: number, end: number): string }).hexSlice.bind(
  pool,
);
let offset = pool.length;

/** The offset of `bytes` fresh random bytes in the pool, never all zero (an invalid ID). */
function take(bytes: number): number {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += bytes;
  let any = 0;
  for (let i = at; i < at + bytes; i++) any |= pool[i] as number;
  if (any === 0) pool[at] = 1;
  return at;
}

export function newTraceId(): string {
  const at = take(16);
  return hex(at, at + 16);
}

export function newSpanId(): string {
  const at = take(8);
  return hex(at, at + 8);
}
