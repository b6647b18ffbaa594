// RED metrics from the spans themselves: when a span ends, its duration and attributes feed
// the matching histogram — no second timer around the call. A sampled span leaves its trace ID
// as the exemplar, so a slow bucket links to a trace.

import { type Attributes, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Histogram } from 'prom-client';
import { red } from './manifest';
import { histogramOf, type MetricsRegistry } from './registry';

type Labels = Record<string, string>;

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

/** Which histogram a span feeds, and with which labels; undefined for spans that feed none. */
function classify(
  kind: SpanKind,
  a: Attributes,
  failed: boolean,
): [keyof typeof red, Labels] | undefined {
  if (a['http.request.method'] !== undefined) {
    const status = text(a['http.response.status_code']);
    if (kind === SpanKind.SERVER) {
      // Only route templates: an unmatched path is one fixed value, never the raw path.
      return [
        'httpServer',
        {
          http_request_method: method(a['http.request.method']),
          http_route: text(a['http.route']),
          http_response_status_code: status,
        },
      ];
    }
    if (kind === SpanKind.CLIENT) {
      return [
        'httpClient',
        {
          http_request_method: method(a['http.request.method']),
          server_address: text(a['server.address']),
          http_response_status_code: status,
        },
      ];
    }
  }
  if (a['rpc.system'] !== undefined && (kind === SpanKind.SERVER || kind === SpanKind.CLIENT)) {
    const labels = {
      rpc_system: text(a['rpc.system']),
      rpc_service: text(a['rpc.service']),
      rpc_method: text(a['rpc.method']),
      rpc_grpc_status_code: text(a['rpc.grpc.status_code']),
    };
    return [kind === SpanKind.SERVER ? 'rpcServer' : 'rpcClient', labels];
  }
  if (a['db.system.name'] !== undefined && kind === SpanKind.CLIENT) {
    return [
      'dbClient',
      {
        db_system_name: text(a['db.system.name']),
        db_operation_name: text(a['db.operation.name']).toLowerCase(),
        error_type: failed ? text(a['error.type']) || '_OTHER' : '',
      },
    ];
  }
  return undefined;
}

export class RedMetricsSpanProcessor implements SpanProcessor {
  private readonly histograms: Record<keyof typeof red, Histogram<string>>;

  constructor(registry: MetricsRegistry) {
    this.histograms = Object.fromEntries(
      Object.entries(red).map(([key, spec]) => [key, histogramOf(spec, registry)]),
    ) as Record<keyof typeof red, Histogram<string>>;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const found = classify(span.kind, span.attributes, span.status.code === SpanStatusCode.ERROR);
    if (!found) return;
    const [key, labels] = found;
    const seconds = span.duration[0] + span.duration[1] / 1e9;
    const context = span.spanContext();
    const sampled = (context.traceFlags & TraceFlags.SAMPLED) !== 0;
    this.histograms[key].observe({
      labels,
      value: seconds,
      ...(sampled
        ? { exemplarLabels: { trace_id: context.traceId, span_id: context.spanId } }
        : {}),
    });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
