// The ECS line of a record: its fields, errors, the caller's fields, and the cutting rule.

import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { MESSAGE } from 'triple-beam';
import {
  ecsDocument,
  ecsFormat,
  type LogInfo,
  lineWithin,
  maxMessageBytes,
  safeLine,
} from '../../../instrumentation/logs/ecs-format';

const service = { name: 'checkout', version: '1.2.3' };

const lineOf = (info: LogInfo) => {
  const formatted = ecsFormat({ service }).transform(info as never, { service }) as LogInfo;
  return JSON.parse(String(formatted[MESSAGE])) as Record<string, unknown>;
};

test('a record becomes an ECS document with the service, host, process and a sequence', () => {
  const first = lineOf({ level: 'info', message: 'order placed', order_id: 'o-1' });
  const second = lineOf({ level: 'info', message: 'again' });
  assert.deepEqual(Object.keys(first).slice(0, 3), ['@timestamp', 'log.level', 'message']);
  assert.match(String(first['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(first['log.level'], 'info');
  assert.equal(first.message, 'order placed');
  assert.equal(first.order_id, 'o-1');
  assert.equal(first['ecs.version'], '8.11.0');
  assert.deepEqual(first.service, service);
  assert.deepEqual(first.host, { name: hostname() });
  assert.deepEqual(first.process, { pid: process.pid });
  const sequenceOf = (line: Record<string, unknown>) =>
    (line.event as { sequence: number }).sequence;
  assert.equal(sequenceOf(second), sequenceOf(first) + 1);
  assert.equal(first.trace, undefined);
});

test('trace.id and span.id become ECS trace and span objects', () => {
  const line = lineOf({
    level: 'info',
    message: 'x',
    'trace.id': '0af7651916cd43dd8448eb211c80319c',
    'span.id': 'b7ad6b7169203331',
  });
  assert.deepEqual(line.trace, { id: '0af7651916cd43dd8448eb211c80319c' });
  assert.deepEqual(line.span, { id: 'b7ad6b7169203331' });
  assert.equal(line['trace.id'], undefined);
});

test('an Error under error or err becomes error.type, error.message and error.stack_trace', () => {
  for (const key of ['error', 'err']) {
    const error = new TypeError('x is undefined');
    const line = lineOf({ level: 'error', message: 'failed', [key]: error });
    assert.deepEqual(line.error, {
      type: 'TypeError',
      message: 'x is undefined',
      stack_trace: error.stack,
    });
    assert.equal(line[key === 'err' ? 'err' : 'error.type'], undefined);
  }
  // winston's own log(level, message, error) leaves only the stack.
  assert.deepEqual(lineOf({ level: 'error', message: 'm', stack: 'Error: m\n    at f' }).error, {
    stack_trace: 'Error: m\n    at f',
  });
});

test("the caller's fields are kept; where they collide with obskit's, obskit's win", () => {
  const line = lineOf({
    level: 'info',
    message: 'x',
    service: { environment: 'prod', name: 'spoofed' },
    host: 'not-an-object',
    'ecs.version': '1.0',
    event: { action: 'pay' },
  });
  assert.deepEqual(line.service, { environment: 'prod', ...service });
  assert.deepEqual(line.host, { name: hostname() });
  assert.equal(line['ecs.version'], '8.11.0');
  assert.equal((line.event as { action: string }).action, 'pay');
});

test('values JSON cannot hold do not throw: circular objects, BigInts, lone surrogates', () => {
  const circular: Record<string, unknown> = { id: 1 };
  circular.self = circular;
  const line = JSON.parse(safeLine({ circular, big: 10n, text: 'a\ud800b\\ud800' }));
  assert.deepEqual(line.circular, { id: 1, self: '[Circular]' });
  assert.equal(line.big, 10);
  // The lone surrogate becomes U+FFFD; the escaped text "\ud800" stays as it was.
  assert.equal(line.text, 'a\ufffdb\\ud800');
  assert.equal(lineOf({ level: 'info', message: { nested: true } }).message, '{"nested":true}');
});

test('lineWithin cuts the message at a character boundary and says how long it was', () => {
  const message = '€'.repeat(1000); // 3 bytes each
  const line = JSON.parse(lineWithin({ message, other: 'kept' }, 1000));
  assert.equal(line.other, 'kept');
  assert.match(line.message, /^€+ \[cut: 3000 bytes\]$/);
  assert.ok(Buffer.byteLength(JSON.stringify(line)) <= 1000);
  assert.ok(Buffer.byteLength(JSON.stringify(line)) > 990);
  // Cut again, it keeps the first original size.
  const again = JSON.parse(lineWithin(line, 500));
  assert.match(again.message, /^€+ \[cut: 3000 bytes\]$/);
  // Escaped characters take more room than they seem to.
  const escaped = JSON.parse(lineWithin({ message: '\n'.repeat(1000) }, 300));
  assert.match(escaped.message, /^\n+ \[cut: 1000 bytes\]$/);
  assert.ok(Buffer.byteLength(JSON.stringify(escaped)) <= 300);
  const short = lineWithin({ message: 'short' }, 1000);
  assert.equal(JSON.parse(short).message, 'short');
});

test(`a message over ${maxMessageBytes / 1024} KiB is cut to it`, () => {
  const line = lineOf({ level: 'info', message: 'z'.repeat(maxMessageBytes + 5000) });
  const message = String(line.message);
  assert.match(message, new RegExp(`^z+ \\[cut: ${maxMessageBytes + 5000} bytes\\]$`));
  assert.ok(message.length <= maxMessageBytes + 30 && message.length > maxMessageBytes - 100);
  assert.equal(
    ecsDocument({ level: 'info', message: 'z'.repeat(maxMessageBytes) }, service).message,
    'z'.repeat(maxMessageBytes),
  );
});
