// Attribute keys as numbers: a key's text crosses to the export thread once, with the first
// batch that names it, instead of once per span. Keys beyond the table's size go inline.

/** Written in place of a key's number when the table is full; the key's text follows. */
export const inlineKey = 0xffffffff;

const maxKeys = 4096;

export class KeyTable {
  private readonly ids = new Map<string, number>();
  private readonly named: string[] = [];
  private sent = 0;

  /** The number of `key`, or inlineKey when the table is full. */
  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.named.length >= maxKeys) return inlineKey;
      id = this.named.length;
      this.named.push(key);
      this.ids.set(key, id);
    }
    return id;
  }

  /** The keys named since the last call, in the order of their numbers. */
  unsent(): string[] {
    const keys = this.named.slice(this.sent);
    this.sent = this.named.length;
    return keys;
  }
}
