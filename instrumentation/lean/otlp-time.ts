// Times as OTLP's fixed64 nanoseconds since the epoch, from a record's epoch milliseconds: the
// same [seconds, nanos] steps as the SDK's millisToHrTime and addHrTimes, so both paths agree
// to the nanosecond, then split into 32-bit halves without BigInt.

export interface Nanos {
  low: number;
  high: number;
}

const nanosPerSecond = 1e9;
const twoTo16 = 0x1_0000;
const twoTo32 = 0x1_0000_0000;

/** [seconds, nanos] of `ms` milliseconds, as the SDK's millisToHrTime. */
function split(ms: number): [number, number] {
  return [Math.trunc(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

/** The time `offsetMs` after `epochMs`, in nanoseconds since the epoch. */
export function epochNanos(epochMs: number, offsetMs: number): Nanos {
  const [baseSeconds, baseNanos] = split(epochMs);
  const [addSeconds, addNanos] = split(offsetMs);
  let seconds = baseSeconds + addSeconds;
  let nanos = baseNanos + addNanos;
  if (nanos >= nanosPerSecond) {
    nanos -= nanosPerSecond;
    seconds += 1;
  }
  // seconds × 1e9 + nanos = upper × 2^16 + lower, each part exact below 2^53.
  const secondsHigh = Math.floor(seconds / twoTo16);
  const upper = secondsHigh * nanosPerSecond;
  const lower = (seconds - secondsHigh * twoTo16) * nanosPerSecond + nanos;
  const upperHigh = Math.floor(upper / twoTo16);
  const low = (upper - upperHigh * twoTo16) * twoTo16 + lower;
  return { low: low % twoTo32, high: upperHigh + Math.floor(low / twoTo32) };
}
