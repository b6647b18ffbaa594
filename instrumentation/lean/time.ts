// Times as epoch milliseconds, as the SDK's span derives them: a start from Date.now(), later
// times from the monotonic clock since it, a caller's time taken as the SDK takes it.

import { performance } from 'node:perf_hooks';
import type { TimeInput } from '@opentelemetry/api';

/** When a span started, in both clocks. */
export interface SpanClock {
  startMs: number;
  perfStart: number;
  startProvided: boolean;
}

/** A time given by the caller, or now, in epoch ms. */
export function epochMs(clock: SpanClock, input: TimeInput | undefined): number {
  if (typeof input === 'number') {
    // Not after performance.now(): a performance timestamp, as the SDK reads it.
    return input <= performance.now() ? input + clock.startMs - clock.perfStart : input;
  }
  if (input instanceof Date) return input.getTime();
  if (Array.isArray(input)) return input[0] * 1000 + input[1] / 1e6;
  if (clock.startProvided) return Date.now();
  return clock.startMs + (performance.now() - clock.perfStart);
}
