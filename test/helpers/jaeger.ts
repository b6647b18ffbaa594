// Reading traces back from the stack's Jaeger query API, as `obskit trace` will.

import { poll, urlOf } from './stack';

export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  processID: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

/** The trace once Jaeger holds at least `spanCount` of its spans. */
export function fetchTrace(
  traceId: string,
  spanCount: number,
  deadlineMs = 30_000,
): Promise<JaegerTrace> {
  return poll(
    `${spanCount} spans of trace ${traceId} in Jaeger`,
    async () => {
      const response = await fetch(urlOf('jaeger', `/api/traces/${traceId}`, 'query'));
      if (response.status === 404) return undefined;
      const trace = ((await response.json()) as { data: JaegerTrace[] }).data[0];
      return trace && trace.spans.length >= spanCount ? trace : undefined;
    },
    deadlineMs,
  );
}

export const tagsOf = (span: JaegerSpan): Record<string, JaegerTag['value']> =>
  Object.fromEntries(span.tags.map((t) => [t.key, t.value]));

export const serviceOf = (trace: JaegerTrace, span: JaegerSpan) =>
  trace.processes[span.processID]?.serviceName;

export const parentOf = (span: JaegerSpan) =>
  span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;

/** Each span as "service kind name <- parent name", sorted: the shape of a trace in one list. */
export function shapeOf(trace: JaegerTrace, rootParentLabel = 'remote parent'): string[] {
  const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
  return trace.spans
    .map((span) => {
      const parentId = parentOf(span);
      const parent = parentId ? (byId.get(parentId)?.operationName ?? rootParentLabel) : 'none';
      return `${serviceOf(trace, span)} ${tagsOf(span)['span.kind']} ${span.operationName} <- ${parent}`;
    })
    .sort();
}

/** A fresh W3C trace context whose trace ID the test knows. */
export function newTraceparent(): { traceId: string; parentId: string; header: string } {
  const hex = (bytes: number) =>
    [...crypto.getRandomValues(new Uint8Array(bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}
