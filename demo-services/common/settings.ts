// Reading a service's settings from its environment: a bad value stops it with one clear line.

export class SettingError extends Error {}

export function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(
      `${name}=${JSON.stringify(raw)} is not an integer from ${min} to ${max}`,
    );
  }
  return value;
}

export function fraction(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new SettingError(`${name}=${JSON.stringify(raw)} is not a number from 0 to 1`);
  }
  return value;
}

export function text(name: string, fallback: string): string {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}
