// A ring of byte records in shared memory, written by the app's thread and read by the export
// thread: each record is its length then its bytes; a length of 0 (or no room for one) at the
// end sends the reader back to the start. Each side publishes its offset with Atomics.

const writeSlot = 0;
const readSlot = 1;
const headerBytes = 8;

export class SpanRing {
  private readonly offsets: Int32Array;
  private readonly bytes: Buffer;
  /** Lengths through a DataView: Buffer's readers and writers allocate on some Node majors. */
  private readonly view: DataView;
  private readonly size: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.offsets = new Int32Array(buffer, 0, 2);
    this.bytes = Buffer.from(buffer, headerBytes);
    this.view = new DataView(buffer, headerBytes);
    this.size = this.bytes.length;
  }

  static create(bytes: number): SpanRing {
    return new SpanRing(new SharedArrayBuffer(headerBytes + bytes));
  }

  /** The writer's side: copies `length` bytes of `record` in; false when they do not fit. */
  write(record: Buffer, length: number): boolean {
    const total = length + 4;
    const read = Atomics.load(this.offsets, readSlot);
    const at = Atomics.load(this.offsets, writeSlot);
    let start = at;
    if (at >= read) {
      const fitsAtEnd = at + total < this.size || (at + total === this.size && read > 0);
      if (!fitsAtEnd) {
        if (total >= read) return false;
        if (this.size - at >= 4) this.view.setUint32(at, 0, true);
        start = 0;
      }
    } else if (at + total >= read) {
      return false;
    }
    this.view.setUint32(start, length, true);
    record.copy(this.bytes, start + 4, 0, length);
    Atomics.store(this.offsets, writeSlot, (start + total) % this.size);
    return true;
  }

  /** The reader's side: hands the next `count` records to `each` (bytes, offset), then frees them. */
  read(count: number, each: (bytes: Buffer, offset: number) => void): void {
    const written = Atomics.load(this.offsets, writeSlot);
    let at = Atomics.load(this.offsets, readSlot);
    for (let i = 0; i < count && at !== written; i++) {
      if (this.size - at < 4 || this.view.getUint32(at, true) === 0) at = 0;
      const length = this.view.getUint32(at, true);
      each(this.bytes, at + 4);
      at = (at + 4 + length) % this.size;
    }
    Atomics.store(this.offsets, readSlot, at);
  }
}
