// The byte form of a span record, both ways: a growing scratch buffer written on the app's
// thread, and a cursor read on the export thread. Strings are UTF-8 after their byte length.

import { inlineKey, KeyTable } from './keys';

const initialBytes = 16 * 1024;

/** Strings up to this length are copied in JavaScript when ASCII: cheaper than a call into C++. */
const shortString = 64;

/**
 * Buffer's own string codecs, which toString() and write() reach after checking their arguments
 * and looking up the encoding: the checks cost more than the copy for strings this short.
 */
interface Codecs {
  utf8Write(value: string, offset: number): number;
  latin1Write(value: string, offset: number, length: number): number;
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

const codecs = (buffer: Buffer) => buffer as unknown as Codecs;

export class ByteWriter {
  constructor(readonly keys = new KeyTable()) {}

  buffer = Buffer.alloc(initialBytes);
  /** Numbers go in through a DataView: Buffer's writers allocate on some Node majors. */
  private view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  at = 0;

  reset(): void {
    this.at = 0;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.alloc(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
    this.view = new DataView(larger.buffer, larger.byteOffset, larger.length);
  }

  u8(value: number): void {
    this.room(1);
    this.buffer[this.at++] = value;
  }

  u32(value: number): void {
    this.room(4);
    this.view.setUint32(this.at, value, true);
    this.at += 4;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  /** A string of one-byte characters (IDs), fixed `length`. */
  latin1(value: string, length: number): void {
    this.room(length);
    const buffer = this.buffer;
    const at = this.at;
    for (let i = 0; i < length; i++) buffer[at + i] = value.charCodeAt(i);
    this.at += length;
  }

  str(value: string): void {
    const length = value.length;
    this.room(4 + length * 3);
    if (length <= shortString && this.ascii(value, this.at + 4)) {
      this.view.setUint32(this.at, length, true);
      this.at += 4 + length;
      return;
    }
    const bytes = codecs(this.buffer).utf8Write(value, this.at + 4);
    this.view.setUint32(this.at, bytes, true);
    this.at += 4 + bytes;
  }

  /** An attribute key, by its number in the key table. */
  key(value: string): void {
    const id = this.keys.id(value);
    this.u32(id);
    if (id === inlineKey) this.str(value);
  }

  /** Copies `value` byte for byte if it is ASCII; false (with nothing to undo) if it is not. */
  private ascii(value: string, at: number): boolean {
    const buffer = this.buffer;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) return false;
      buffer[at + i] = code;
    }
    return true;
  }
}

export class ByteReader {
  constructor(
    readonly buffer: Buffer,
    public at: number,
    private readonly keys: readonly string[] = [],
  ) {}

  key(): string {
    const id = this.u32();
    return id === inlineKey ? this.str() : (this.keys[id] ?? '');
  }

  u8(): number {
    return this.buffer[this.at++] as number;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  f64(): number {
    const value = this.buffer.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  latin1(length: number): string {
    const value = codecs(this.buffer).latin1Slice(this.at, this.at + length);
    this.at += length;
    return value;
  }

  str(): string {
    const length = this.u32();
    const value = codecs(this.buffer).utf8Slice(this.at, this.at + length);
    this.at += length;
    return value;
  }
}
