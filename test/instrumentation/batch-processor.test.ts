// The bounded batch processor with exporters the test controls: what it drops, it counts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  type ReadableSpan,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  BoundedBatchSpanProcessor,
  type ExportOutcome,
} from '../../instrumentation/batch-processor';
import { stats } from '../../instrumentation/stats';

class ScriptedExporter implements SpanExporter {
  exported: ReadableSpan[][] = [];
  constructor(private readonly answer: ExportResult | 'hang') {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported.push(spans);
    if (this.answer !== 'hang') done(this.answer);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const options = {
  scheduleDelayMs: 60_000,
  exportTimeoutMs: 60_000,
  maxQueueSize: 5,
  maxExportBatchSize: 100,
};

function setUp(exporter: SpanExporter, overrides: Partial<typeof options> = {}, sampled = true) {
  const outcomes: ExportOutcome[] = [];
  const processor = new BoundedBatchSpanProcessor(exporter, { ...options, ...overrides }, (o) =>
    outcomes.push(o),
  );
  const provider = new TracerProvider({
    spanProcessors: [processor],
    ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
  });
  const endSpans = (count: number) => {
    for (let i = 0; i < count; i++) provider.getTracer('test').startSpan(`span ${i}`).end();
  };
  return { processor, outcomes, endSpans };
}

test('spans beyond the queue are dropped and counted', async () => {
  const exporter = new ScriptedExporter({ code: ExportResultCode.SUCCESS });
  const { processor, endSpans } = setUp(exporter);
  const before = { ...stats };
  endSpans(8);
  assert.equal(stats.spansDropped - before.spansDropped, 3);
  assert.equal(stats.spansQueued, 5);
  await processor.flush();
  assert.deepEqual(
    exporter.exported.map((batch) => batch.length),
    [5],
  );
  assert.equal(stats.spansExported - before.spansExported, 5);
  assert.equal(stats.spansQueued, 0);
});

test('a failed export counts its spans as dropped and reports the failure', async () => {
  const error = new Error('connect ECONNREFUSED 127.0.0.1:4318');
  const { processor, outcomes, endSpans } = setUp(
    new ScriptedExporter({ code: ExportResultCode.FAILED, error }),
  );
  const before = { ...stats };
  endSpans(4);
  await processor.flush();
  assert.equal(stats.spansDropped - before.spansDropped, 4);
  assert.equal(stats.spansExported - before.spansExported, 0);
  assert.deepEqual(outcomes, [{ ok: false, error }]);
});

test('full batches go out without waiting for the timer', async () => {
  const exporter = new ScriptedExporter({ code: ExportResultCode.SUCCESS });
  const { processor, endSpans } = setUp(exporter, { maxQueueSize: 100, maxExportBatchSize: 3 });
  endSpans(7);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    exporter.exported.map((batch) => batch.length),
    [3, 3],
  );
  await processor.flush();
  assert.deepEqual(
    exporter.exported.map((batch) => batch.length),
    [3, 3, 1],
  );
});

test('flush gives up at its deadline when the backend hangs', async () => {
  const { processor, endSpans } = setUp(new ScriptedExporter('hang'));
  endSpans(2);
  const started = Date.now();
  await processor.flush(Date.now() + 200);
  assert.ok(Date.now() - started < 2000);
  assert.equal(processor.pending, 1, 'the hung export is still in flight');
});

test('unsampled spans never enter the queue', () => {
  const exporter = new ScriptedExporter({ code: ExportResultCode.SUCCESS });
  const { processor, endSpans } = setUp(exporter, {}, false);
  endSpans(3);
  assert.equal(processor.pending, 0);
});
