// Attribute values and attribute blocks in a span record, both ways: a tag byte, then the value.

import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ByteReader, ByteWriter } from './bytes';

const tag = { absent: 0, string: 1, number: 2, true: 3, false: 4, array: 5 } as const;

export function writeValue(w: ByteWriter, value: unknown): void {
  if (typeof value === 'string') {
    w.u8(tag.string);
    w.str(value);
  } else if (typeof value === 'number') {
    w.u8(tag.number);
    w.f64(value);
  } else if (typeof value === 'boolean') {
    w.u8(value ? tag.true : tag.false);
  } else if (Array.isArray(value)) {
    w.u8(tag.array);
    w.u32(value.length);
    for (const item of value) writeValue(w, item);
  } else {
    w.u8(tag.absent);
  }
}

export function readValue(r: ByteReader): unknown {
  switch (r.u8()) {
    case tag.string:
      return r.str();
    case tag.number:
      return r.f64();
    case tag.true:
      return true;
    case tag.false:
      return false;
    case tag.array: {
      const items: unknown[] = new Array(r.u32());
      for (let i = 0; i < items.length; i++) items[i] = readValue(r);
      return items;
    }
    default:
      return null;
  }
}

/** An attributes object: its count, then key and value pairs. */
export function writeAttributes(w: ByteWriter, attributes: Attributes | undefined): void {
  if (!attributes) {
    w.u32(0);
    return;
  }
  const keys = Object.keys(attributes);
  w.u32(keys.length);
  for (const key of keys) {
    w.key(key);
    writeValue(w, attributes[key]);
  }
}

export function readAttributes(r: ByteReader): Attributes {
  const attributes: Attributes = {};
  for (let count = r.u32(); count > 0; count--) {
    const key = r.key();
    attributes[key] = readValue(r) as AttributeValue;
  }
  return attributes;
}

const notFinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

/**
 * A span's flat attribute slots, less any number that is not finite (Jaeger's JSON API fails
 * for a whole trace holding one: instrumentation-grpc records server.port NaN for etcd:/// targets).
 */
export function writeSlots(w: ByteWriter, slots: readonly unknown[], count: number): void {
  let kept = 0;
  for (let i = 1; i < count; i += 2) if (!notFinite(slots[i])) kept++;
  w.u32(kept);
  for (let i = 0; i < count; i += 2) {
    if (notFinite(slots[i + 1])) continue;
    w.key(slots[i] as string);
    writeValue(w, slots[i + 1]);
  }
}
