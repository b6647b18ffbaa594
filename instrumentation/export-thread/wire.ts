// Spans as plain data, to cross to the export thread: a ReadableSpan holds functions and class
// instances (spanContext(), TraceState, Resource) that structured cloning drops.

import type {
  Attributes,
  HrTime,
  Link,
  SpanContext,
  SpanKind,
  SpanStatus,
  TraceFlags,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

export interface WireContext {
  traceId: string;
  spanId: string;
  traceFlags: TraceFlags;
  isRemote?: boolean;
  traceState?: string;
}

export interface WireSpan {
  name: string;
  kind: SpanKind;
  context: WireContext;
  parent?: WireContext;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  links: { context: WireContext; attributes?: Attributes; droppedAttributesCount?: number }[];
  events: TimedEvent[];
  scope: InstrumentationScope;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

const wireContext = (context: SpanContext): WireContext => ({
  traceId: context.traceId,
  spanId: context.spanId,
  traceFlags: context.traceFlags,
  isRemote: context.isRemote,
  traceState: context.traceState?.serialize(),
});

const notFinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

/**
 * The attributes without a number that is not finite: instrumentation-grpc records server.port
 * NaN for a target such as `etcd:///entity-service`, and Jaeger's JSON API then fails for the
 * whole trace. Attributes without one are handed over as they are.
 */
function exportable(attributes: Attributes): Attributes {
  for (const key in attributes) {
    if (notFinite(attributes[key]))
      return Object.fromEntries(
        Object.entries(attributes).filter(([, value]) => !notFinite(value)),
      );
  }
  return attributes;
}

/** On the app's thread: only what the exporters read, with no copy of the shared resource. */
export function toWire(span: ReadableSpan): WireSpan {
  return {
    name: span.name,
    kind: span.kind,
    context: wireContext(span.spanContext()),
    parent: span.parentSpanContext && wireContext(span.parentSpanContext),
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: exportable(span.attributes),
    links: span.links.map((link) => ({ ...link, context: wireContext(link.context) })),
    events: span.events,
    scope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** On the export thread: a ReadableSpan again, under the process's one resource. */
export function fromWire(span: WireSpan, resource: Resource): ReadableSpan {
  const { TraceState } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const context = (wire: WireContext): SpanContext => ({
    ...wire,
    traceState: wire.traceState ? new TraceState(wire.traceState) : undefined,
  });
  const spanContext = context(span.context);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parent && context(span.parent),
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((link): Link => ({ ...link, context: context(link.context) })),
    events: span.events,
    ended: true,
    resource,
    instrumentationScope: span.scope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
