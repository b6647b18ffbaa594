// The obskit logger in process (levels, correlation, errors) and, under the preload, the app's
// own winston logger getting trace.id and span.id.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MESSAGE } from 'triple-beam';
import Transport from 'winston-transport';
import { createLogger } from '../../../instrumentation/logs/logger';
import { startApp } from '../../helpers/apps';
import { newTraceparent } from '../../helpers/jaeger';
import { poll } from '../../helpers/stack';

/** A transport that keeps every line it is given, parsed. */
class Capture extends Transport {
  readonly lines: Record<string, unknown>[] = [];
  override log(info: Record<string | symbol, unknown>, callback: () => void) {
    this.lines.push(JSON.parse(String(info[MESSAGE])));
    callback();
  }
}

const captured = (level: 'info' | 'debug' = 'info') => {
  const capture = new Capture();
  return { capture, logger: createLogger({ level, transports: [capture] }) };
};

test('a disabled level returns before a record is built or written', () => {
  const { capture, logger } = captured('info');
  let writes = 0;
  const write = logger.write.bind(logger);
  logger.write = ((info: never) => {
    writes++;
    return write(info);
  }) as typeof logger.write;
  const meta = {
    get touched() {
      throw new Error('the meta of a disabled call was read');
    },
  };
  assert.equal(logger.debug('not written', meta), logger);
  assert.equal(logger.verbose('not written'), logger);
  logger.info('written');
  assert.equal(writes, 1);
  assert.deepEqual(
    capture.lines.map((line) => line.message),
    ['written'],
  );
  logger.level = 'debug';
  logger.debug('now written');
  assert.equal(capture.lines.at(-1)?.message, 'now written');
});

test('inside an active span a line carries its trace.id and span.id; outside it, none', () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  try {
    const { capture, logger } = captured();
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    const active = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(spanContext));
    context.with(active, () => logger.info('inside'));
    logger.info('outside');
    assert.deepEqual(capture.lines[0]?.trace, { id: spanContext.traceId });
    assert.deepEqual(capture.lines[0]?.span, { id: spanContext.spanId });
    assert.equal(capture.lines[1]?.trace, undefined);
  } finally {
    context.disable();
  }
});

test('errors as message or meta keep their type; meta objects and child fields are merged', () => {
  const { capture, logger } = captured();
  logger.error(new RangeError('out of range'));
  logger.warn('payment failed', new TypeError('card is undefined'), { order_id: 'o-9' });
  logger.child({ request_id: 'r-1' }).info('from a child', { step: 2 });
  logger.info({ message: 'an info object', user: 'u-1' });
  const [first, second, third, fourth] = capture.lines as Record<string, Record<string, unknown>>[];
  assert.equal(first?.message, 'out of range');
  assert.equal(first?.error?.type, 'RangeError');
  assert.equal(second?.message, 'payment failed');
  assert.equal(second?.error?.type, 'TypeError');
  assert.equal(second?.error?.message, 'card is undefined');
  assert.equal(second?.order_id, 'o-9');
  assert.equal(second?.['log.level'], 'warn');
  assert.equal(third?.request_id, 'r-1');
  assert.equal(third?.step, 2);
  assert.equal(fourth?.message, 'an info object');
  assert.equal(fourth?.user, 'u-1');
});

test("under the preload the app's own winston logger writes trace.id and span.id", async () => {
  const app = await startApp('logging.cjs', 'require', { OTEL_TRACES_EXPORTER: 'none' });
  try {
    const context = newTraceparent();
    for (const path of ['/log-own', '/log']) {
      const response = await fetch(`http://127.0.0.1:${app.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: context.header },
        body: JSON.stringify({ message: `via ${path}` }),
      });
      assert.equal(response.status, 200);
    }
    // stdout is a pipe: the lines may come after the answers.
    const viaLines = () =>
      app
        .stdout()
        .split('\n')
        .filter((line) => line.includes('"via '))
        .map((line) => JSON.parse(line));
    const lines = await poll('two log lines on stdout', async () =>
      viaLines().length >= 2 ? viaLines() : undefined,
    );
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const traceId = line['trace.id'] ?? line.trace?.id;
      assert.equal(traceId, context.traceId, JSON.stringify(line));
      assert.match(String(line['span.id'] ?? line.span?.id), /^[0-9a-f]{16}$/);
      assert.equal(line.trace_id, undefined);
      assert.equal(line.span_id, undefined);
    }
    assert.equal(app.stderr(), '');
  } finally {
    await app.stop();
  }
});
