// On the export thread: one span record of the ring (encode.ts) written straight as OTLP's
// protobuf Span (opentelemetry-proto trace.proto), without building a span object: strings are
// copied as the UTF-8 bytes they already are, IDs turned from hex into bytes, times into nanos.

import type { ByteReader } from './bytes';
import { flag } from './encode';
import { inlineKey } from './keys';
import { epochNanos, type Nanos } from './otlp-time';
import { type ProtoWriter, wire } from './proto-writer';

/** OTLP span flags: the W3C trace flags, and whether the parent's remoteness is known and true. */
const hasIsRemote = 0x100;
const isRemote = 0x200;

/** Copies the string at the reader's cursor (its byte length, then its bytes) as field `field`. */
function copyString(w: ProtoWriter, r: ByteReader, field: number): void {
  const length = r.u32();
  w.tag(field, wire.bytes);
  w.copy(r.buffer, r.at, length);
  r.at += length;
}

/** As copyString, but an empty string is left out, as the SDK's serializer leaves it. */
function copyNonEmpty(w: ProtoWriter, r: ByteReader, field: number): void {
  if (r.buffer.readUInt32LE(r.at) > 0) copyString(w, r, field);
  else r.at += 4;
}

function writeCount(w: ProtoWriter, field: number, count: number): void {
  w.tag(field, wire.varint);
  w.varint(count);
}

/** Skips the string at the reader's cursor, giving its position for a later copy. */
function skipString(r: ByteReader): number {
  const at = r.at;
  r.at += 4 + r.buffer.readUInt32LE(at);
  return at;
}

function copyStringAt(w: ProtoWriter, r: ByteReader, at: number, field: number): void {
  const back = r.at;
  r.at = at;
  copyString(w, r, field);
  r.at = back;
}

/** The attribute keys as UTF-8, by their number in the key table. */
export type KeyBytes = readonly Buffer[];

const noKey = Buffer.alloc(0);

/** Value tags of values.ts. */
const tag = { string: 1, number: 2, true: 3, false: 4, array: 5 } as const;

/** One AnyValue's content: the tagged value at the reader's cursor, as the SDK's serializer writes it. */
function writeAnyValue(w: ProtoWriter, r: ByteReader): void {
  const type = r.u8();
  switch (type) {
    case tag.string:
      copyString(w, r, 1);
      return;
    case tag.number: {
      const value = r.f64();
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
        w.tag(3, wire.varint);
        w.int64(value);
      } else {
        w.tag(4, wire.fixed64);
        w.double(value);
      }
      return;
    }
    case tag.true:
    case tag.false:
      w.tag(2, wire.varint);
      w.varint(type === tag.true ? 1 : 0);
      return;
    case tag.array: {
      w.tag(5, wire.bytes);
      const array = w.begin();
      for (let count = r.u32(); count > 0; count--) {
        w.tag(1, wire.bytes);
        const item = w.begin();
        writeAnyValue(w, r);
        w.end(item);
      }
      w.end(array);
      return;
    }
  }
}

/** An attribute block (count, then key and value pairs) as repeated KeyValue field `field`. */
export function writeAttributes(
  w: ProtoWriter,
  r: ByteReader,
  keys: KeyBytes,
  field: number,
): void {
  for (let count = r.u32(); count > 0; count--) {
    w.tag(field, wire.bytes);
    const pair = w.begin();
    const id = r.u32();
    if (id === inlineKey) copyString(w, r, 1);
    else {
      w.field(1, keys[id] ?? noKey);
    }
    w.tag(2, wire.bytes);
    const value = w.begin();
    writeAnyValue(w, r);
    w.end(value);
    w.end(pair);
  }
}

function writeTime(w: ProtoWriter, field: number, time: Nanos): void {
  w.tag(field, wire.fixed64);
  w.fixed64(time.low, time.high);
}

function writeEvents(w: ProtoWriter, r: ByteReader, keys: KeyBytes, startMs: number): void {
  for (let count = r.u32(); count > 0; count--) {
    w.tag(11, wire.bytes);
    const event = w.begin();
    const name = skipString(r);
    writeTime(w, 1, epochNanos(startMs, r.f64()));
    copyStringAt(w, r, name, 2);
    writeAttributes(w, r, keys, 3);
    writeCount(w, 4, r.u32());
    w.end(event);
  }
}

function writeLinks(w: ProtoWriter, r: ByteReader, keys: KeyBytes): void {
  for (let count = r.u32(); count > 0; count--) {
    w.tag(13, wire.bytes);
    const link = w.begin();
    for (const field of [1, 2]) {
      const digits = r.u32();
      w.tag(field, wire.bytes);
      w.hex(r.buffer, r.at, digits);
      r.at += digits;
    }
    const traceFlags = r.u8();
    const remote = r.u8() === 1;
    if (r.u8() === 1) copyNonEmpty(w, r, 3);
    writeAttributes(w, r, keys, 4);
    writeCount(w, 5, r.u32());
    w.tag(6, wire.fixed32);
    w.fixed32((traceFlags & 0xff) | hasIsRemote | (remote ? isRemote : 0));
    w.end(link);
  }
}

/**
 * The span record at the reader's cursor as one Span message (field 2 of ScopeSpans), its fields
 * in number order; returns the record's scope number.
 */
export function writeSpan(w: ProtoWriter, r: ByteReader, keys: KeyBytes): number {
  const bits = r.u8();
  const kind = r.u8();
  const traceFlags = r.u8();
  const code = r.u8();
  const scope = r.u32();
  w.tag(2, wire.bytes);
  const span = w.begin();
  w.tag(1, wire.bytes);
  w.hex(r.buffer, r.at, 32);
  w.tag(2, wire.bytes);
  w.hex(r.buffer, r.at + 32, 16);
  r.at += 48;
  const parent = bits & flag.parent ? r.at : -1;
  if (parent >= 0) r.at += 17;
  const startMs = r.f64();
  const durationMs = r.f64();
  const name = skipString(r);
  if (bits & flag.traceState) copyNonEmpty(w, r, 3);
  const message = bits & flag.statusMessage ? skipString(r) : -1;
  if (parent >= 0) {
    w.tag(4, wire.bytes);
    w.hex(r.buffer, parent, 16);
  }
  copyStringAt(w, r, name, 5);
  writeCount(w, 6, kind + 1);
  writeTime(w, 7, epochNanos(startMs, 0));
  writeTime(w, 8, epochNanos(startMs, durationMs));
  writeAttributes(w, r, keys, 9);
  writeCount(w, 10, r.u32());
  writeEvents(w, r, keys, startMs);
  writeCount(w, 12, r.u32());
  writeLinks(w, r, keys);
  writeCount(w, 14, r.u32());
  w.tag(15, wire.bytes);
  const status = w.begin();
  if (message >= 0 && r.buffer.readUInt32LE(message) > 0) copyStringAt(w, r, message, 2);
  writeCount(w, 3, code);
  w.end(status);
  w.tag(16, wire.fixed32);
  w.fixed32((traceFlags & 0xff) | hasIsRemote | (bits & flag.parentRemote ? isRemote : 0));
  w.end(span);
  return scope;
}
