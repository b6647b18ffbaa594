// On the export thread: a span record back into the ReadableSpan the SDK's exporters take,
// under the process's one resource and its scope.

import type { HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { addHrTimes, hrTimeDuration, millisToHrTime, TraceState } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { ByteReader } from './bytes';
import { flag } from './encode';
import { readAttributes } from './values';

function readContext(r: ByteReader): SpanContext {
  const traceId = r.str();
  const spanId = r.str();
  const traceFlags = r.u8();
  const isRemote = r.u8() === 1;
  const traceState = r.u8() === 1 ? new TraceState(r.str()) : undefined;
  return { traceId, spanId, traceFlags, isRemote, traceState };
}

function readEvents(r: ByteReader, start: HrTime): TimedEvent[] {
  const events: TimedEvent[] = new Array(r.u32());
  for (let i = 0; i < events.length; i++) {
    const name = r.str();
    const time = addHrTimes(start, millisToHrTime(r.f64()));
    const attributes = readAttributes(r);
    events[i] = { name, time, attributes, droppedAttributesCount: r.u32() };
  }
  return events;
}

function readLinks(r: ByteReader): Link[] {
  const links: Link[] = new Array(r.u32());
  for (let i = 0; i < links.length; i++) {
    const context = readContext(r);
    const attributes = readAttributes(r);
    const dropped = r.u32();
    const link: Link = { context };
    if (Object.keys(attributes).length > 0) link.attributes = attributes;
    if (dropped > 0) link.droppedAttributesCount = dropped;
    links[i] = link;
  }
  return links;
}

export function decodeSpan(
  r: ByteReader,
  scopes: readonly InstrumentationScope[],
  resource: Resource,
): ReadableSpan {
  const bits = r.u8();
  const kind = r.u8();
  const traceFlags = r.u8();
  const code = r.u8();
  const scope = scopes[r.u32()] ?? { name: 'unknown' };
  const traceId = r.latin1(32);
  const spanId = r.latin1(16);
  const parentSpanContext: SpanContext | undefined =
    bits & flag.parent
      ? {
          traceId,
          spanId: r.latin1(16),
          traceFlags: r.u8(),
          isRemote: (bits & flag.parentRemote) !== 0,
        }
      : undefined;
  const startTime = millisToHrTime(r.f64());
  const endTime = addHrTimes(startTime, millisToHrTime(r.f64()));
  const name = r.str();
  const traceState = bits & flag.traceState ? new TraceState(r.str()) : undefined;
  const status: SpanStatus = { code };
  if (bits & flag.statusMessage) status.message = r.str();
  const attributes = readAttributes(r);
  const droppedAttributesCount = r.u32();
  const events = readEvents(r, startTime);
  const droppedEventsCount = r.u32();
  const links = readLinks(r);
  const droppedLinksCount = r.u32();
  const spanContext: SpanContext = { traceId, spanId, traceFlags, traceState };
  return {
    name,
    kind,
    spanContext: () => spanContext,
    parentSpanContext,
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status,
    attributes,
    links,
    events,
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  };
}
