// Reading a service's settings from its environment: a bad value stops it with one clear line.

import { type NumberRange, numberIn, rangeText } from '../../common/numbers';

export class SettingError extends Error {}

function ranged(name: string, fallback: number, range: NumberRange): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = numberIn(raw, range);
  if (value === undefined)
    throw new SettingError(`${name}=${JSON.stringify(raw)} is not ${rangeText(range)}`);
  return value;
}

export function integer(name: string, fallback: number, min: number, max: number): number {
  return ranged(name, fallback, { min, max, integer: true });
}

export function fraction(name: string, fallback: number): number {
  return ranged(name, fallback, { min: 0, max: 1 });
}

export function text(name: string, fallback: string): string {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}
