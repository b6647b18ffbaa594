// Protocol Buffers' wire format, written into one growing buffer: varints, fixed-width numbers,
// and length-delimited fields whose length is fixed up once their content is written.

const initialBytes = 64 * 1024;
const twoTo32 = 0x1_0000_0000;

/** Wire types (protobuf encoding). */
export const wire = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class ProtoWriter {
  buffer = Buffer.alloc(initialBytes);
  private view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  at = 0;

  reset(): void {
    this.at = 0;
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.alloc(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
    this.view = new DataView(larger.buffer, larger.byteOffset, larger.length);
  }

  tag(field: number, type: number): void {
    this.varint((field << 3) | type);
  }

  /** An unsigned varint below 2^32. */
  varint(value: number): void {
    this.room(5);
    const buffer = this.buffer;
    let v = value >>> 0;
    while (v > 0x7f) {
      buffer[this.at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buffer[this.at++] = v;
  }

  /** A 64-bit varint from its two halves. */
  varint64(low: number, high: number): void {
    this.room(10);
    let lo = low >>> 0;
    let hi = high >>> 0;
    while (hi > 0 || lo > 0x7f) {
      this.buffer[this.at++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buffer[this.at++] = lo;
  }

  /** An int64 (two's complement for a negative value), as OTLP's AnyValue.int_value. */
  int64(value: number): void {
    const magnitude = Math.abs(value);
    let low = magnitude >>> 0;
    let high = Math.floor(magnitude / twoTo32) >>> 0;
    if (value < 0) {
      low = (~low + 1) >>> 0;
      high = (~high + (low === 0 ? 1 : 0)) >>> 0;
    }
    this.varint64(low, high);
  }

  fixed32(value: number): void {
    this.room(4);
    this.view.setUint32(this.at, value >>> 0, true);
    this.at += 4;
  }

  fixed64(low: number, high: number): void {
    this.room(8);
    this.view.setUint32(this.at, low >>> 0, true);
    this.view.setUint32(this.at + 4, high >>> 0, true);
    this.at += 8;
  }

  double(value: number): void {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  /** `length` bytes of `source` from `start`, after their length. */
  copy(source: Buffer, start: number, length: number): void {
    this.varint(length);
    this.room(length);
    source.copy(this.buffer, this.at, start, start + length);
    this.at += length;
  }

  /** Field `field` holding all of `bytes` (a string's UTF-8, or an encoded message). */
  field(field: number, bytes: Buffer): void {
    this.tag(field, wire.bytes);
    this.copy(bytes, 0, bytes.length);
  }

  /** `bytes` as they are: fields encoded elsewhere. */
  raw(bytes: Buffer): void {
    this.room(bytes.length);
    bytes.copy(this.buffer, this.at);
    this.at += bytes.length;
  }

  /** `digits` hexadecimal characters of `source` from `start`, as the bytes they spell. */
  hex(source: Buffer, start: number, digits: number): void {
    const length = digits >>> 1;
    this.varint(length);
    this.room(length);
    for (let i = 0; i < length; i++) {
      const at = start + 2 * i;
      this.buffer[this.at++] =
        (nibble(source[at] as number) << 4) | nibble(source[at + 1] as number);
    }
  }

  /** Opens a length-delimited field's content; `end` with the position it returns closes it. */
  begin(): number {
    this.room(1);
    return this.at++;
  }

  /** Writes the content's length before it, moving the content when the length takes more than one byte. */
  end(start: number): void {
    const length = this.at - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    const size = varintSize(length);
    this.room(size - 1);
    this.buffer.copyWithin(start + size, start + 1, this.at);
    this.at += size - 1;
    const end = this.at;
    this.at = start;
    this.varint(length);
    this.at = end;
  }
}

function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value >>> 7; v > 0; v >>>= 7) size++;
  return size;
}
