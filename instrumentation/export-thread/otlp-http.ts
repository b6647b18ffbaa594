// OTLP over HTTP for requests already encoded, with node's http alone: the export thread then
// loads no OpenTelemetry package at all (about 5 MB of its RSS). It behaves as the SDK's HTTP
// transport does: keep-alive, the timeout as a deadline for all attempts, retries of 429, 502,
// 503, 504 and of network errors with backoff or Retry-After, gzip when asked, a concurrency limit.

import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';

export type Outcome =
  | { status: 'success' }
  | { status: 'retryable'; error: string; retryInMs?: number }
  | { status: 'failure'; error: string };

export interface HttpSettings {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  gzip: boolean;
}

/** The SDK's retry schedule (otlp-exporter-base's retrying transport). */
const retry = { attempts: 5, initialMs: 1000, maxMs: 5000, multiplier: 1.5, jitter: 0.2 };
const retryableStatus = new Set([429, 502, 503, 504]);
const retryableNetwork = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** Exports in flight beyond which a new one fails at once, as the SDK's default. */
export const concurrencyLimit = 30;

/** Retry-After in ms: seconds, or an HTTP date; undefined when absent. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : 0;
  return Math.max(0, new Date(header).getTime() - now);
}

function outcomeOf(response: IncomingMessage): Outcome {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status <= 299) return { status: 'success' };
  const error = `OTLP export answered ${status} ${response.statusMessage ?? ''}`.trim();
  if (!retryableStatus.has(status)) return { status: 'failure', error };
  return { status: 'retryable', error, retryInMs: retryAfterMs(response.headers['retry-after']) };
}

function networkOutcome(error: NodeJS.ErrnoException): Outcome {
  const kind = retryableNetwork.has(error.code ?? '') ? 'retryable' : 'failure';
  return { status: kind, error: error.message };
}

export class OtlpHttp {
  private readonly url: URL;
  private readonly request: (
    options: RequestOptions,
    done: (r: IncomingMessage) => void,
  ) => ClientRequest;
  private readonly agent: RequestOptions['agent'];
  private inFlight = 0;

  constructor(private readonly settings: HttpSettings) {
    this.url = new URL(settings.url);
    const transport = this.url.protocol === 'https:' ? require('node:https') : require('node:http');
    this.request = transport.request;
    this.agent = new transport.Agent({ keepAlive: true });
  }

  /** Sends `body` until it is accepted, refused, or the timeout has passed; reports the outcome. */
  async send(body: Uint8Array): Promise<Outcome> {
    if (this.inFlight >= concurrencyLimit) {
      return { status: 'failure', error: 'Concurrent export limit reached' };
    }
    this.inFlight++;
    try {
      return await this.withRetries(this.settings.gzip ? await gzip(body) : body);
    } finally {
      this.inFlight--;
    }
  }

  private async withRetries(body: Uint8Array): Promise<Outcome> {
    const deadline = Date.now() + this.settings.timeoutMs;
    let backoff = retry.initialMs;
    let outcome = await this.attempt(body, this.settings.timeoutMs);
    for (let left = retry.attempts; outcome.status === 'retryable' && left > 0; left--) {
      const jittered = backoff * (1 + (Math.random() * 2 - 1) * retry.jitter);
      const wait = outcome.retryInMs ?? Math.min(jittered, retry.maxMs);
      backoff *= retry.multiplier;
      if (wait > deadline - Date.now()) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      outcome = await this.attempt(body, deadline - Date.now());
    }
    return outcome;
  }

  private attempt(body: Uint8Array, timeoutMs: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = {
        ...this.settings.headers,
        'Content-Length': body.length,
      };
      if (this.settings.gzip) headers['Content-Encoding'] = 'gzip';
      const options = { ...urlOptions(this.url), method: 'POST', headers, agent: this.agent };
      const request = this.request(options, (response) => {
        response.resume();
        response.on('end', () => resolve(outcomeOf(response)));
        response.on('error', (error) => resolve(networkOutcome(error)));
      });
      request.setTimeout(Math.max(1, timeoutMs), () => {
        request.destroy();
        resolve({ status: 'retryable', error: 'Request timed out' });
      });
      request.on('error', (error) => resolve(networkOutcome(error)));
      request.end(body);
    });
  }
}

function urlOptions(url: URL): RequestOptions {
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    path: `${url.pathname}${url.search}`,
  };
}

function gzip(body: Uint8Array): Promise<Uint8Array> {
  const zlib = require('node:zlib') as typeof import('node:zlib');
  return new Promise((resolve, reject) =>
    zlib.gzip(body, (error, zipped) => (error ? reject(error) : resolve(zipped))),
  );
}
