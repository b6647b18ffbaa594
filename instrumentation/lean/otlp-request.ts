// On the export thread: a batch of the ring's span records as one OTLP/protobuf
// ExportTraceServiceRequest, grouped by scope in the order the scopes first appear, as the SDK's
// serializer groups them. The resource and each scope are encoded once, then copied.

import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { ByteReader, ByteWriter } from './bytes';
import { writeAttributes, writeSpan } from './otlp-span';
import { ProtoWriter, wire } from './proto-writer';
import type { SpanRing } from './ring';
import { writeAttributes as recordAttributes } from './values';

/** A message's fields written once by `write`, kept as bytes. */
function encoded(write: (w: ProtoWriter) => void): Buffer {
  const w = new ProtoWriter();
  write(w);
  return Buffer.from(w.bytes());
}

/** Plain attributes as repeated KeyValue `field`, through the record form the spans use. */
function writePlainAttributes(
  w: ProtoWriter,
  attributes: Record<string, unknown>,
  field: number,
): void {
  const record = new ByteWriter();
  recordAttributes(record, attributes as Attributes);
  const keys = record.keys.unsent().map((key) => Buffer.from(key));
  writeAttributes(w, new ByteReader(record.buffer, 0), keys, field);
}

function encodeScope(scope: InstrumentationScope): Buffer {
  return encoded((w) => {
    w.field(1, Buffer.from(scope.name));
    if (scope.version) w.field(2, Buffer.from(scope.version));
  });
}

/** A record naming a scope the thread was never told of (it cannot happen; nothing is lost if it does). */
const unknown: InstrumentationScope = { name: 'unknown' };
const unknownScope = { scope: unknown, bytes: encodeScope(unknown) };

export class OtlpRingEncoder {
  private readonly resource: Buffer;
  private readonly keys: Buffer[] = [];
  private readonly scopes: { scope: InstrumentationScope; bytes: Buffer }[] = [];
  /** Each scope's spans of the batch being encoded, by scope number. */
  private readonly spans: ProtoWriter[] = [];
  private readonly request = new ProtoWriter();

  constructor(
    private readonly ring: SpanRing,
    resource: Record<string, unknown>,
  ) {
    this.resource = encoded((w) => {
      writePlainAttributes(w, resource, 1);
      w.tag(2, wire.varint);
      w.varint(0);
    });
  }

  /** Scopes and attribute keys named since the last batch, in the order of their numbers. */
  learn(scopes: readonly InstrumentationScope[], keys: readonly string[]): void {
    for (const scope of scopes) this.scopes.push({ scope, bytes: encodeScope(scope) });
    for (const key of keys) this.keys.push(Buffer.from(key));
  }

  /** The next `count` records as one request, in a buffer of its own (the send outlives the next batch). */
  encode(count: number): Buffer {
    const order: number[] = [];
    this.ring.read(count, (bytes, offset) => {
      const scope = this.writeRecord(new ByteReader(bytes, offset));
      if (!order.includes(scope)) order.push(scope);
    });
    return this.assemble(order);
  }

  /** Writes one record into its scope's spans, whichever scope that is. */
  private writeRecord(r: ByteReader): number {
    const scope = r.buffer.readUInt32LE(r.at + 4);
    this.spans[scope] ??= new ProtoWriter();
    writeSpan(this.spans[scope], r, this.keys);
    return scope;
  }

  private assemble(order: readonly number[]): Buffer {
    const w = this.request;
    w.reset();
    w.tag(1, wire.bytes);
    const resourceSpans = w.begin();
    w.field(1, this.resource);
    for (const index of order) this.writeScopeSpans(w, index);
    w.end(resourceSpans);
    for (const index of order) this.spans[index]?.reset();
    return Buffer.from(w.bytes());
  }

  private writeScopeSpans(w: ProtoWriter, index: number): void {
    const scope = this.scopes[index] ?? unknownScope;
    w.tag(2, wire.bytes);
    const scopeSpans = w.begin();
    w.field(1, scope.bytes);
    w.raw((this.spans[index] as ProtoWriter).bytes());
    if (scope.scope.schemaUrl) w.field(3, Buffer.from(scope.scope.schemaUrl));
    w.end(scopeSpans);
  }
}
