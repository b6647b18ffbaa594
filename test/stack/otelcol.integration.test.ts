// otelcol from `obskit stack`, the local stand-in for Fluentd: Fluent forward-protocol events
// sent to 24224 are acknowledged when they ask for it, and land in the records file as they were.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { test } from 'node:test';
import { forwardedRecords } from '../helpers/forwarded';
import { poll, portOf, uniqueId } from '../helpers/stack';

type Packable = string | number | boolean | null | Packable[] | { [key: string]: Packable };

/** Just enough MessagePack for forward-protocol events: strings, integers, maps, arrays. */
function pack(value: Packable): Buffer {
  const head = (bytes: number[]) => Buffer.from(bytes);
  const sized = (small: number, size: number, big: number) =>
    size < 16 ? head([small | size]) : head([big, size >> 8, size & 0xff]);
  if (value === null) return head([0xc0]);
  if (typeof value === 'boolean') return head([value ? 0xc3 : 0xc2]);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`${value}`);
    const uint32 = Buffer.alloc(5);
    uint32.writeUInt8(0xce);
    uint32.writeUInt32BE(value, 1);
    return value < 128 ? head([value]) : uint32;
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value);
    if (bytes.length > 255) throw new Error('string too long for this encoder');
    const prefix = bytes.length < 32 ? head([0xa0 | bytes.length]) : head([0xd9, bytes.length]);
    return Buffer.concat([prefix, bytes]);
  }
  if (Array.isArray(value)) {
    return Buffer.concat([sized(0x90, value.length, 0xdc), ...value.map(pack)]);
  }
  const entries = Object.entries(value);
  return Buffer.concat([
    sized(0x80, entries.length, 0xde),
    ...entries.flatMap(([k, v]) => [pack(k), pack(v)]),
  ]);
}

/** Writes one forward-protocol message; resolves with the server's first answer, or an empty
 * buffer when none came within `waitMs`. */
function sendForward(message: Packable, waitMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: portOf('otelcol') }, () => {
      socket.write(pack(message));
    });
    const done = (answer: Buffer) => {
      clearTimeout(timer);
      socket.end(() => resolve(answer));
    };
    const timer = setTimeout(() => done(Buffer.alloc(0)), waitMs);
    socket.once('data', done);
    socket.on('error', reject);
  });
}

const now = () => Math.floor(Date.now() / 1000);

test('a Message-mode event with a chunk option is acknowledged and recorded field by field', async () => {
  const canary = uniqueId('forward-canary');
  const chunk = randomBytes(16).toString('base64');
  const record = {
    message: canary,
    'log.level': 'warn',
    trace: { id: '0af7651916cd43dd8448eb211c80319c' },
    'event.sequence': 3,
  };
  const answer = await sendForward(['obskit.test', now(), record, { chunk }], 5000);
  assert.deepEqual(answer, pack({ ack: chunk }));

  const found = await poll('the record in the records file', async () =>
    forwardedRecords().find((r) => r.body === canary),
  );
  assert.deepEqual(found.attributes, {
    'fluent.tag': 'obskit.test',
    'log.level': 'warn',
    trace: { id: '0af7651916cd43dd8448eb211c80319c' },
    'event.sequence': 3,
  });
});

test('a Forward-mode batch without a chunk option gets no answer, and each entry is a record', async () => {
  const canaries = [uniqueId('batch-canary'), uniqueId('batch-canary')];
  const entries = canaries.map((message, i) => [now(), { message, i }]);
  const answer = await sendForward(['obskit.batch', entries], 300);
  assert.equal(answer.length, 0);

  const found = await poll('both records in the records file', async () => {
    const records = forwardedRecords().filter((r) => canaries.includes(r.body as string));
    return records.length === 2 ? records : undefined;
  });
  assert.deepEqual(
    found.map((r) => [r.body, r.attributes.i, r.attributes['fluent.tag']]),
    [
      [canaries[0], 0, 'obskit.batch'],
      [canaries[1], 1, 'obskit.batch'],
    ],
  );
});
