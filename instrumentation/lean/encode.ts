// One ended span written as a record of bytes (read back by decode.ts on the export thread):
// IDs as text of fixed length, times as epoch and duration ms, attributes from their slots.

import type { Link, SpanContext } from '@opentelemetry/api';
import type { ByteWriter } from './bytes';
import type { LeanSpan } from './span';
import { writeAttributes, writeSlots } from './values';

/** Bits of a record's first byte. */
export const flag = { parent: 1, parentRemote: 2, traceState: 4, statusMessage: 8 } as const;

function writeContext(w: ByteWriter, context: SpanContext): void {
  w.str(context.traceId);
  w.str(context.spanId);
  w.u8(context.traceFlags);
  w.u8(context.isRemote ? 1 : 0);
  const state = context.traceState?.serialize();
  w.u8(state === undefined ? 0 : 1);
  if (state !== undefined) w.str(state);
}

function writeLinks(w: ByteWriter, links: Link[] | undefined): void {
  w.u32(links?.length ?? 0);
  if (!links) return;
  for (const link of links) {
    writeContext(w, link.context);
    writeAttributes(w, link.attributes);
    w.u32(link.droppedAttributesCount ?? 0);
  }
}

function writeEvents(w: ByteWriter, span: LeanSpan): void {
  const events = span.events;
  w.u32(events?.length ?? 0);
  if (!events) return;
  for (const event of events) {
    w.str(event.name);
    w.f64(event.timeMs - span.startMs);
    writeAttributes(w, event.attributes);
    w.u32(event.droppedAttributesCount);
  }
}

export function encodeSpan(w: ByteWriter, span: LeanSpan): void {
  const { context, parent } = span;
  const traceState = context.traceState?.serialize();
  w.u8(
    (parent ? flag.parent : 0) |
      (parent?.isRemote ? flag.parentRemote : 0) |
      (traceState !== undefined ? flag.traceState : 0) |
      (span.statusMessage !== undefined ? flag.statusMessage : 0),
  );
  w.u8(span.kind);
  w.u8(context.traceFlags);
  w.u8(span.statusCode);
  w.u32(span.owner.scope);
  w.latin1(context.traceId, 32);
  w.latin1(context.spanId, 16);
  if (parent) {
    w.latin1(parent.spanId, 16);
    w.u8(parent.traceFlags);
  }
  w.f64(span.startMs);
  w.f64(span.durationMs);
  w.str(span.name);
  if (traceState !== undefined) w.str(traceState);
  if (span.statusMessage !== undefined) w.str(span.statusMessage);
  writeSlots(w, span.slots, span.slotCount);
  w.u32(span.droppedAttributes);
  writeEvents(w, span);
  w.u32(span.droppedEvents);
  writeLinks(w, span.links);
  w.u32(span.droppedLinks);
}
