// The export thread's own code: it exports the spans the app's thread hands it and answers
// with each batch's outcome; at exit it also delivers the log lines handed to it, then wakes
// the app's thread, which waits for it.

import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { LogHandoff } from '../logs/in-flight';
import { exportWith, loadExporter, type Sent } from './exporter';
import { encodedSpanSender, encodesItself } from './otlp-bytes';
import { counter, type SpansOutcome, type ThreadData, type ToThread } from './thread';
import { fromWire } from './wire';

// The app's requests come first: when the CPU is scarce, this thread yields to them (on Linux a
// thread's nice value is its own, and setPriority's default pid 0 means this thread; elsewhere
// it would be the whole process, so it is left alone). With a core to spare, it changes nothing.
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not allowed here: the thread runs at the app's priority.
  }
}

const data = workerData as ThreadData;
const counters = new Int32Array(data.counters);
const pending = new Set<Promise<void>>();

/** The lean path's batches encoded straight from its ring, when the exporter takes OTLP/protobuf. */
function encodedExporting() {
  if (!data.spans || !data.ring || !encodesItself(data.spans)) return undefined;
  const { OtlpRingEncoder } =
    require('../lean/otlp-request') as typeof import('../lean/otlp-request');
  const { SpanRing } = require('../lean/ring') as typeof import('../lean/ring');
  return {
    send: encodedSpanSender(data.spans),
    encoder: new OtlpRingEncoder(new SpanRing(data.ring), data.spans.resource),
  };
}

/** Otherwise the SDK's exporter, given span objects. */
function exporting() {
  if (!data.spans) return undefined;
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  return {
    exporter: loadExporter(data.spans),
    resource: resourceFromAttributes(data.spans.resource as Record<string, string>),
  };
}

// Loaded here at once, off the app's thread, so the first export finds it ready.
const encoded = encodedExporting();
const spans = encoded ? undefined : exporting();

/** The scopes the lean path's span records name by index, in the order they were named. */
const ringScopes: InstrumentationScope[] = [];
const ringKeys: string[] = [];
let readRing: ((count: number) => ReadableSpan[]) | undefined;

/** The next `count` span records of the lean path's ring, read when its batch comes. */
function fromRing(count: number, scopes: InstrumentationScope[], keys: string[]): ReadableSpan[] {
  ringScopes.push(...scopes);
  ringKeys.push(...keys);
  if (!data.ring || !spans) return [];
  const { ringReader } = require('../lean/ring-reader') as typeof import('../lean/ring-reader');
  readRing ??= ringReader(data.ring, ringScopes, ringKeys, spans.resource);
  return readRing(count);
}

/** Sends the `count` spans of message `id` through `send`, then answers with the outcome. */
async function exportSpans(id: number, count: number, send: () => Promise<Sent>): Promise<void> {
  let sent: Sent;
  try {
    sent = await send();
  } catch (error) {
    sent = { ok: false, error: (error as Error).message };
  }
  Atomics.add(counters, sent.ok ? counter.exported : counter.failed, count);
  parentPort?.postMessage({ id, ok: sent.ok, error: sent.error } satisfies SpansOutcome);
}

/** How a message's spans are sent: encoded from the ring, or as span objects to the SDK's exporter. */
function sender(message: Exclude<ToThread, { type: 'finish' }>): () => Promise<Sent> {
  if (message.type === 'ring' && encoded) {
    return () => {
      encoded.encoder.learn(message.scopes, message.keys);
      const bytes = encoded.encoder.encode(message.count);
      return encoded.send({ bytes, count: message.count });
    };
  }
  if (!spans) return () => Promise.resolve({ ok: false, error: 'no span exporter' });
  const { exporter, resource } = spans;
  if (message.type === 'ring') {
    return () => exportWith(exporter, fromRing(message.count, message.scopes, message.keys));
  }
  return () =>
    exportWith(
      exporter,
      message.spans.map((span) => fromWire(span, resource)),
    );
}

/** Ships one transport's handed-off lines; resolves with how many of the first arrived. */
async function deliver({ spec, lines }: LogHandoff, deadline: number): Promise<number> {
  const { shippingTransport } =
    require('../logs/transports') as typeof import('../logs/transports');
  const transport = shippingTransport(spec, lines.length);
  transport.ship(lines);
  await transport.flush(deadline);
  const delivered = lines.length - transport.pending();
  transport.close();
  return delivered;
}

const until = (deadline: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));

/** Settles what is pending and delivers `logs`, then wakes the app's thread. */
async function finish(message: Extract<ToThread, { type: 'finish' }>): Promise<void> {
  const result = new Int32Array(message.result);
  // Answers a little before the deadline, so that the counts are in when the app's thread wakes.
  const deadline = message.deadline - 20;
  const deliveries = message.logs.map((handoff, index) =>
    deliver(handoff, deadline).then((delivered) => {
      Atomics.store(result, index + 1, delivered);
    }),
  );
  await Promise.race([Promise.all([...pending, ...deliveries]), until(deadline)]);
  Atomics.store(result, 0, 1);
  Atomics.notify(result, 0);
}

parentPort?.on('message', (message: ToThread) => {
  if (message.type === 'finish') {
    finish(message);
    return;
  }
  const count = message.type === 'ring' ? message.count : message.spans.length;
  const work = exportSpans(message.id, count, sender(message));
  pending.add(work);
  work.then(() => pending.delete(work));
});
