// On the export thread: the lean path's span records, read from the ring as ReadableSpans.

import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ByteReader } from './bytes';
import { decodeSpan } from './decode';
import { SpanRing } from './ring';

export function ringReader(
  buffer: SharedArrayBuffer,
  scopes: readonly InstrumentationScope[],
  keys: readonly string[],
  resource: Resource,
): (count: number) => ReadableSpan[] {
  const ring = new SpanRing(buffer);
  return (count) => {
    const spans: ReadableSpan[] = [];
    ring.read(count, (bytes, offset) => {
      spans.push(decodeSpan(new ByteReader(bytes, offset, keys), scopes, resource));
    });
    return spans;
  };
}
