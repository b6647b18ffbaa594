// Secrets never leave the process: masked query parameters and credentials in URLs, redacted
// header attributes, and Redis statements reduced to the command name.

import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace';

export const redacted = 'REDACTED';

/** Names that carry a secret wherever the word appears in them (access_token, apiKey, …). */
const secretAnywhere =
  /token|passw|pwd|secret|credential|apikey|api-key|api_key|auth|cookie|jwt|signature/;

/** Short words that carry a secret only as a whole part of the name (sig, x-api-key, session_id). */
const secretWord = /(^|[-_.])(key|sig|session|sessionid|otp)($|[-_.])/;

/** Names that carry a secret only on their own: OAuth's ?code=, not ?country_code=. */
const secretExact = new Set(['code', 'pin', 'ssn', 'sid']);

const sensitiveHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** URL attributes of the HTTP semantic conventions, stable and older. */
const urlAttributes = ['url.full', 'url.query', 'http.url', 'http.target'];

/** Attribute prefixes under which instrumentations record headers or gRPC metadata. */
const headerPrefixes = [
  'http.request.header.',
  'http.response.header.',
  'rpc.grpc.request.metadata.',
  'rpc.grpc.response.metadata.',
];

export function isSecretName(name: string, extra: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return (
    secretAnywhere.test(lower) ||
    secretWord.test(lower) ||
    secretExact.has(lower) ||
    sensitiveHeaders.has(lower) ||
    extra.some((e) => e.toLowerCase() === lower)
  );
}

/** Masks secret-looking parameters of a query string (with or without its leading '?'). */
export function redactQuery(query: string, extra: readonly string[] = []): string {
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const name = at < 0 ? pair : pair.slice(0, at);
      return at >= 0 && isSecretName(safeDecode(name.replace(/^\?/, '')), extra)
        ? `${name}=${redacted}`
        : pair;
    })
    .join('&');
}

/** Masks the credentials and secret-looking query parameters of a URL or a path with a query. */
export function redactUrl(url: string, extra: readonly string[] = []): string {
  const withoutCredentials = url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i,
    `$1${redacted}:${redacted}@`,
  );
  const query = withoutCredentials.indexOf('?');
  if (query < 0) return withoutCredentials;
  const fragment = withoutCredentials.indexOf('#', query);
  const end = fragment < 0 ? withoutCredentials.length : fragment;
  return (
    withoutCredentials.slice(0, query + 1) +
    redactQuery(withoutCredentials.slice(query + 1, end), extra) +
    withoutCredentials.slice(end)
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A loop rather than some(): this runs for every attribute of every span, and makes nothing. */
function hasHeaderPrefix(key: string): boolean {
  for (const prefix of headerPrefixes) if (key.startsWith(prefix)) return true;
  return false;
}

function isSecretHeaderAttribute(key: string, extra: readonly string[]): boolean {
  return hasHeaderPrefix(key) && isSecretName(key.slice(key.lastIndexOf('.') + 1), extra);
}

/** What attribute `key` becomes once scrubbed: `value` itself when it holds no secret. */
export function scrubbed(key: string, value: unknown, extra: readonly string[]): unknown {
  if (typeof value !== 'string') return value;
  if (urlAttributes.includes(key))
    return key === 'url.query' ? redactQuery(value, extra) : redactUrl(value, extra);
  return isSecretHeaderAttribute(key, extra) ? redacted : value;
}

/** Scrubs a lean span's attribute slots (keys and values alternating) in place. */
export function scrubSlots(slots: unknown[], count: number, extra: readonly string[]): void {
  for (let i = 0; i < count; i += 2) {
    const value = slots[i + 1];
    if (typeof value === 'string') slots[i + 1] = scrubbed(slots[i] as string, value, extra);
  }
}

/** Scrubs every span just before it ends, whichever instrumentation made it. */
export class RedactionSpanProcessor implements SpanProcessor {
  constructor(private readonly extraParams: readonly string[]) {}

  onStart(): void {}

  onEnding(span: Span): void {
    const attributes = span.attributes;
    for (const key in attributes) {
      const value = attributes[key];
      const clean = scrubbed(key, value, this.extraParams);
      if (clean !== value) span.setAttribute(key, clean as string);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Redis spans keep the command, never its keys or values. */
export const redisCommandOnly = (command: string) => command;
