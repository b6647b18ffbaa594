// RED metrics from the spans themselves: when a span ends, its duration and attributes feed
// the matching histogram — no second timer around the call. A sampled span leaves its trace ID
// as the exemplar, so a slow bucket links to a trace.

import { type Attributes, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Metric } from 'prom-client';
import type { LeanSpan } from '../lean/span';
import { red } from './manifest';
import { RedHistogram } from './red-histogram';
import type { MetricsRegistry } from './registry';

/** HTTP methods kept as label values; anything else is _OTHER, as the conventions say. */
const knownMethods = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const method = (value: unknown) => (knownMethods.has(text(value)) ? text(value) : '_OTHER');

interface Found {
  key: keyof typeof red;
  values: string[];
}

/** The last span's histogram and label values, reused span after span: observe() copies what it keeps. */
const last: Found = { key: 'httpServer', values: [] };
const three = ['', '', ''];
const four = ['', '', '', ''];

function found(key: keyof typeof red, a: string, b: string, c: string, d?: string): Found {
  const values = d === undefined ? three : four;
  values[0] = a;
  values[1] = b;
  values[2] = c;
  if (d !== undefined) values[3] = d;
  last.key = key;
  last.values = values;
  return last;
}

/**
 * Which histogram a span feeds, and its label values in the manifest's order; undefined for
 * spans that feed none.
 */
function classify(kind: SpanKind, a: AttributeSource, failed: boolean): Found | undefined {
  const requestMethod = a.attribute('http.request.method');
  if (requestMethod !== undefined) {
    const status = text(a.attribute('http.response.status_code'));
    if (kind === SpanKind.SERVER) {
      // Only route templates: an unmatched path is one fixed value, never the raw path.
      return found('httpServer', method(requestMethod), text(a.attribute('http.route')), status);
    }
    if (kind === SpanKind.CLIENT) {
      return found(
        'httpClient',
        method(requestMethod),
        text(a.attribute('server.address')),
        status,
      );
    }
  }
  const rpcSystem = a.attribute('rpc.system');
  if (rpcSystem !== undefined && (kind === SpanKind.SERVER || kind === SpanKind.CLIENT)) {
    return found(
      kind === SpanKind.SERVER ? 'rpcServer' : 'rpcClient',
      text(rpcSystem),
      text(a.attribute('rpc.service')),
      text(a.attribute('rpc.method')),
      text(a.attribute('rpc.grpc.status_code')),
    );
  }
  const dbSystem = a.attribute('db.system.name');
  if (dbSystem !== undefined && kind === SpanKind.CLIENT) {
    return found(
      'dbClient',
      text(dbSystem),
      text(a.attribute('db.operation.name')).toLowerCase(),
      failed ? text(a.attribute('error.type')) || '_OTHER' : '',
    );
  }
  return undefined;
}

/** Reads an attribute by key: a span's flat slots, or an attributes object. */
interface AttributeSource {
  attribute(key: string): unknown;
}

const noAttributes: Attributes = Object.freeze({});

/** An SDK span's attributes as a source, reused span after span. */
const ofObject = {
  attributes: noAttributes,
  attribute(key: string): unknown {
    return this.attributes[key];
  },
};

export class RedMetricsSpanProcessor implements SpanProcessor {
  private readonly histograms: Record<keyof typeof red, RedHistogram>;

  constructor(registry: MetricsRegistry) {
    this.histograms = Object.fromEntries(
      Object.entries(red).map(([key, spec]) => {
        const histogram = new RedHistogram(spec);
        registry.registerMetric(histogram as unknown as Metric);
        return [key, histogram];
      }),
    ) as Record<keyof typeof red, RedHistogram>;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    ofObject.attributes = span.attributes;
    const match = classify(span.kind, ofObject, span.status.code === SpanStatusCode.ERROR);
    ofObject.attributes = noAttributes;
    if (!match) return;
    const { key, values } = match;
    const seconds = span.duration[0] + span.duration[1] / 1e9;
    const context = span.spanContext();
    if ((context.traceFlags & TraceFlags.SAMPLED) !== 0)
      this.histograms[key].observe(values, seconds, context.traceId, context.spanId);
    else this.histograms[key].observe(values, seconds);
  }

  /** The lean path's span, read from its slots. */
  observe(span: LeanSpan): void {
    const match = classify(span.kind, span, span.statusCode === SpanStatusCode.ERROR);
    if (!match) return;
    const { key, values } = match;
    const { traceId, spanId, traceFlags } = span.context;
    const seconds = span.durationMs / 1000;
    if ((traceFlags & TraceFlags.SAMPLED) !== 0)
      this.histograms[key].observe(values, seconds, traceId, spanId);
    else this.histograms[key].observe(values, seconds);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
