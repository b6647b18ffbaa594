// RED metrics from the spans themselves: when a span ends, its duration and attributes feed
// the matching histogram — no second timer around the call. A sampled span leaves its trace ID
// as the exemplar, so a slow bucket links to a trace.

import { type Attributes, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Metric } from 'prom-client';
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

/**
 * Which histogram a span feeds, and its label values in the manifest's order; undefined for
 * spans that feed none.
 */
function classify(
  kind: SpanKind,
  a: Attributes,
  failed: boolean,
): [keyof typeof red, string[]] | undefined {
  if (a['http.request.method'] !== undefined) {
    const status = text(a['http.response.status_code']);
    if (kind === SpanKind.SERVER) {
      // Only route templates: an unmatched path is one fixed value, never the raw path.
      return ['httpServer', [method(a['http.request.method']), text(a['http.route']), status]];
    }
    if (kind === SpanKind.CLIENT) {
      return ['httpClient', [method(a['http.request.method']), text(a['server.address']), status]];
    }
  }
  if (a['rpc.system'] !== undefined && (kind === SpanKind.SERVER || kind === SpanKind.CLIENT)) {
    const values = [
      text(a['rpc.system']),
      text(a['rpc.service']),
      text(a['rpc.method']),
      text(a['rpc.grpc.status_code']),
    ];
    return [kind === SpanKind.SERVER ? 'rpcServer' : 'rpcClient', values];
  }
  if (a['db.system.name'] !== undefined && kind === SpanKind.CLIENT) {
    return [
      'dbClient',
      [
        text(a['db.system.name']),
        text(a['db.operation.name']).toLowerCase(),
        failed ? text(a['error.type']) || '_OTHER' : '',
      ],
    ];
  }
  return undefined;
}

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
    const found = classify(span.kind, span.attributes, span.status.code === SpanStatusCode.ERROR);
    if (!found) return;
    const [key, values] = found;
    const seconds = span.duration[0] + span.duration[1] / 1e9;
    const context = span.spanContext();
    if ((context.traceFlags & TraceFlags.SAMPLED) !== 0)
      this.histograms[key].observe(values, seconds, context.traceId, context.spanId);
    else this.histograms[key].observe(values, seconds);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
