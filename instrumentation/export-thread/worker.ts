// The export thread's own code: it exports the spans the app's thread hands it and answers
// with each batch's outcome; at exit it also delivers the log lines handed to it, then wakes
// the app's thread, which waits for it.

import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode, type InstrumentationScope } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { LogHandoff } from '../logs/in-flight';
import { loadExporter } from './exporter';
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
const spans = exporting();

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

/** Exports `batch`, the `count` spans of message `id` (fewer if some could not be read). */
function exportSpans(id: number, count: number, batch: () => ReadableSpan[]): Promise<void> {
  return new Promise((resolve) => {
    const answer = (ok: boolean, error?: string) => {
      Atomics.add(counters, ok ? counter.exported : counter.failed, count);
      parentPort?.postMessage({ id, ok, error } satisfies SpansOutcome);
      resolve();
    };
    if (!spans) return answer(false, 'no span exporter');
    try {
      spans.exporter.export(batch(), (result) =>
        answer(result.code === ExportResultCode.SUCCESS, result.error?.message),
      );
    } catch (error) {
      answer(false, (error as Error).message);
    }
  });
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
  const work =
    message.type === 'ring'
      ? exportSpans(message.id, message.count, () =>
          fromRing(message.count, message.scopes, message.keys),
        )
      : exportSpans(message.id, message.spans.length, () =>
          message.spans.map((span) =>
            fromWire(span, (spans as NonNullable<typeof spans>).resource),
          ),
        );
  pending.add(work);
  work.then(() => pending.delete(work));
});
