// Trace correlation of log lines under ECS names: trace.id and span.id of the active span.

import { context, isSpanContextValid, type Span, trace } from '@opentelemetry/api';

/** Adds trace.id and span.id of the active span to a record that has none. */
export function addTraceFields(record: Record<string, unknown>): void {
  if (record['trace.id'] !== undefined) return;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return;
  record['trace.id'] = spanContext.traceId;
  record['span.id'] = spanContext.spanId;
}

/**
 * The preload's logHook for loggers the app makes with winston: the instrumentation adds
 * trace_id, span_id and trace_flags; the line carries ECS's names instead.
 */
export function ecsLogHook(span: Span, record: Record<string, unknown>): void {
  const { traceId, spanId } = span.spanContext();
  record['trace.id'] = traceId;
  record['span.id'] = spanId;
  delete record.trace_id;
  delete record.span_id;
  delete record.trace_flags;
}
