// Traces in the tests: polling Jaeger until a trace holds its spans, and a trace's shape in one list.

import { getTrace, type JaegerTrace, parentOf, serviceOf, tagsOf } from '../../clients/jaeger';
import { poll, urlOf } from './stack';

export * from '../../clients/jaeger';

/** The trace once Jaeger holds at least `spanCount` of its spans. */
export function fetchTrace(
  traceId: string,
  spanCount: number,
  deadlineMs = 30_000,
): Promise<JaegerTrace> {
  return poll(
    `${spanCount} spans of trace ${traceId} in Jaeger`,
    async () => {
      const trace = await getTrace(urlOf('jaeger', '', 'query'), traceId);
      return trace && trace.spans.length >= spanCount ? trace : undefined;
    },
    deadlineMs,
  );
}

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
