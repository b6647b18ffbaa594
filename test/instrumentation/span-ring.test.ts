// The lean path's shared ring and queue: records of any size come back in order across the
// wrap, a full ring refuses, and the queue drops and counts what does not fit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace';
import type { ExportThread } from '../../instrumentation/export-thread/thread';
import { RingBatcher } from '../../instrumentation/lean/batcher';
import { ByteReader } from '../../instrumentation/lean/bytes';
import { SpanRing } from '../../instrumentation/lean/ring';
import type { LeanSpan } from '../../instrumentation/lean/span';
import { LeanTracerProvider } from '../../instrumentation/lean/tracer';
import { stats } from '../../instrumentation/stats';

const record = (n: number) => Buffer.from(`${n}:`.padEnd(5 + ((n * 37) % 200), 'x'));

test('records come back whole and in order, across many turns of the ring', () => {
  const ring = SpanRing.create(1024);
  const seen: string[] = [];
  let next = 0;
  for (let turn = 0; turn < 200; turn++) {
    let written = 0;
    while (written < 3 && ring.write(record(next), record(next).length)) {
      next++;
      written++;
    }
    ring.read(written, (bytes, offset) => {
      const length = bytes.readUInt32LE(offset - 4);
      seen.push(bytes.toString('latin1', offset, offset + length));
    });
  }
  assert.ok(next > 300);
  assert.deepEqual(
    seen,
    Array.from({ length: next }, (_, n) => record(n).toString('latin1')),
  );
});

test('a full ring refuses a record and takes it once there is room', () => {
  const ring = SpanRing.create(256);
  const big = Buffer.alloc(100, 1);
  assert.equal(ring.write(big, 100), true);
  assert.equal(ring.write(big, 100), true);
  assert.equal(ring.write(big, 100), false);
  ring.read(1, () => {});
  assert.equal(ring.write(big, 100), false, 'it would fill the ring to the byte');
  ring.read(1, () => {});
  assert.equal(ring.write(big, 100), true);
  assert.equal(ring.write(Buffer.alloc(300), 300), false);
});

test('beyond the queue, spans are dropped and counted; batches go by count', async () => {
  const handed: number[] = [];
  const thread = {
    failed: false,
    exportRing: (count: number) => {
      handed.push(count);
      return Promise.resolve({ ok: true });
    },
  } as unknown as ExportThread;
  const options = {
    scheduleDelayMs: 60_000,
    exportTimeoutMs: 60_000,
    maxQueueSize: 5,
    maxExportBatchSize: 100,
  };
  let provider: LeanTracerProvider | undefined;
  const batch = new RingBatcher(
    thread,
    () => provider as LeanTracerProvider,
    options,
    () => {},
    undefined,
  );
  provider = new LeanTracerProvider(new AlwaysOnSampler(), (span: LeanSpan) => batch.add(span));
  const before = { ...stats };
  for (let i = 0; i < 8; i++) provider.getTracer('t').startSpan(`span ${i}`).end();
  assert.equal(stats.spansDropped - before.spansDropped, 3);
  assert.equal(batch.overflowed, 3);
  batch.handOffAtExit();
  assert.deepEqual(handed, [5]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stats.spansExported - before.spansExported, 5);
  assert.equal(stats.spansQueued, 0);
});

test('the byte reader reads what the writer wrote', () => {
  const ring = SpanRing.create(512);
  const text = 'héllo ✓';
  const bytes = Buffer.alloc(64);
  const length = bytes.write(text, 4, 'utf8');
  bytes.writeUInt32LE(length, 0);
  ring.write(bytes, 4 + length);
  ring.read(1, (buffer, offset) => assert.equal(new ByteReader(buffer, offset).str(), text));
});
