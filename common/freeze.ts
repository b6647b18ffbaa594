// Resolved configs are frozen all the way down: nothing changes them after they are read.

/** Freezes `value` and every object inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
