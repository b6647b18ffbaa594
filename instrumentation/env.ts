// Reading environment variables: a bad value becomes one warning naming the variable, the
// value and the default used — never an exception.

import { isIP } from 'node:net';
import { type NumberRange, numberIn, rangeText } from '../common/numbers';

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  readonly warnings: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  private reject<T>(name: string, value: string, expected: string, fallback: T): T {
    this.warnings.push(
      `${name}=${JSON.stringify(value)} is not ${expected}; using ${JSON.stringify(fallback)}`,
    );
    return fallback;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (['true', '1', 'on', 'yes'].includes(lower)) return true;
    if (['false', '0', 'off', 'no'].includes(lower)) return false;
    return this.reject(name, value, 'true or false', fallback);
  }

  number(name: string, fallback: number, range: NumberRange): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return numberIn(value, range) ?? this.reject(name, value, rangeText(range), fallback);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase() as T;
    if (allowed.includes(lower)) return lower;
    return this.reject(name, value, `one of ${allowed.join(', ')}`, fallback);
  }

  /**
   * A comma-separated list whose items must be in `allowed`: unknown items are warned and
   * dropped, and a list with nothing known left is warned and replaced by `fallback`.
   */
  list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    const items = value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
    const known = items.filter((item): item is T => allowed.includes(item as T));
    const unknown = items.filter((item) => !allowed.includes(item as T));
    if (unknown.length === 0) return known;
    const names = `${name} names unknown ${unknown.join(', ')}; known: ${allowed.join(', ')}`;
    if (known.length > 0) {
      this.warnings.push(names);
      return known;
    }
    this.warnings.push(`${names}; using ${JSON.stringify(fallback.join(','))}`);
    return [...fallback];
  }

  /** A list of free words, such as extra parameter names. */
  words(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
  }

  /** A URL with a host and a port, whose scheme is one of `schemes`, such as tcp://host:port. */
  url(name: string, schemes: readonly string[], fallback: string): URL {
    const value = this.raw(name);
    const parsed = value === undefined ? undefined : parseUrl(value);
    const scheme = parsed?.protocol.slice(0, -1) ?? '';
    if (parsed?.hostname && parsed.port && schemes.includes(scheme)) return parsed;
    if (value !== undefined) {
      const expected = `a URL ${schemes.map((s) => `${s}://host:port`).join(' or ')}`;
      this.reject(name, value, expected, fallback);
    }
    return new URL(fallback);
  }

  /** An http:// or https:// URL with a host, such as an exporter's endpoint, kept as written. */
  httpUrl(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = parseUrl(value);
    if (parsed?.hostname && ['http:', 'https:'].includes(parsed.protocol)) return value;
    return this.reject(name, value, 'an http:// or https:// URL with a host', fallback);
  }

  /** A host name or an IP address to listen on or connect to. */
  host(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const bare = value.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare) || (bare.length <= 253 && hostName.test(bare))) return bare;
    return this.reject(name, value, 'a host name or an IP address', fallback);
  }

  /** W3C-baggage style `key=value,key=value`, percent-decoded, as OTEL_RESOURCE_ATTRIBUTES. */
  keyValues(name: string): Record<string, string> {
    const result: Record<string, string> = {};
    const value = this.raw(name);
    if (value === undefined) return result;
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      const key = pair.slice(0, at).trim();
      if (at <= 0 || key === '') {
        this.warnings.push(
          `${name} has an entry without key=value: ${JSON.stringify(pair)}; it is ignored`,
        );
        continue;
      }
      try {
        result[key] = decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        this.warnings.push(`${name} has a badly encoded value for ${key}; it is ignored`);
      }
    }
    return result;
  }
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const hostName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** URL.parse is not in Node 20. */
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
