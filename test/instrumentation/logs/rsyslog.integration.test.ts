// The obskit logger shipping over syslog to the stack's rsyslog, into its Elasticsearch: trace
// correlation with Jaeger, ECS types as the template states, and awkward messages.

import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { type RunningApp, startApp } from '../../helpers/apps';
import { elasticsearch, logsWhere, mappedTypes, templateTypes } from '../../helpers/elasticsearch';
import { fetchTrace, newTraceparent } from '../../helpers/jaeger';
import { portOf, uniqueId } from '../../helpers/stack';

const syslogEnv = (service: string, scheme = 'tcp') => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
  OTEL_SERVICE_NAME: service,
  OBSKIT_LOG_TRANSPORTS: 'syslog',
  OBSKIT_LOG_SYSLOG_URL: `${scheme}://127.0.0.1:${portOf('rsyslog')}`,
});

async function postLog(app: RunningApp, body: object, traceparent?: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${app.port}/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

const ecsFields = [
  '@timestamp',
  'message',
  'log.level',
  'ecs.version',
  'service.name',
  'service.version',
  'host.name',
  'process.pid',
  'event.sequence',
  'trace.id',
  'span.id',
];

test('a line logged in a traced request is in Elasticsearch with the trace ID Jaeger holds', async () => {
  const service = uniqueId('logging');
  const canary = uniqueId('canary');
  const app = await startApp('logging.cjs', 'require', syslogEnv(service));
  const client = elasticsearch();
  try {
    const context = newTraceparent();
    const fields = { 'test.canary': canary, order_id: 'o-17' };
    assert.equal(
      await postLog(app, { message: 'order placed', level: 'warn', fields }, context.header),
      200,
    );

    const trace = await fetchTrace(context.traceId, 1);
    const [line] = await logsWhere(client, 'test.canary', canary);
    const document = line?.source as Record<string, Record<string, unknown>>;
    assert.equal(document.trace?.id, context.traceId);
    assert.ok(
      trace.spans.some((span) => span.spanID === document.span?.id),
      `span.id ${document.span?.id} is not a span of the trace in Jaeger`,
    );
    assert.equal(document.message, 'order placed');
    assert.equal(document['log.level'], 'warn');
    assert.deepEqual(document.service, { name: service, version: '0.1.0' });
    assert.equal(document.host?.name, hostname());
    assert.equal(document.process?.pid, app.child.pid);
    assert.equal(document.event?.sequence, 1);
    assert.equal(document.order_id, 'o-17');
    assert.match(String(document['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const types = await mappedTypes(client, line?.index as string, ecsFields);
    assert.deepEqual(types, templateTypes(ecsFields));
  } finally {
    await client.close();
    await app.stop();
  }
});

/**
 * Awkward messages and what Elasticsearch must hold for each, by the documented rules: a message
 * over 256 KiB is cut to it, over UDP to what fits a datagram, ending " [cut: N bytes]".
 */
const kb = 1024;
const awkward: { name: string; body: object; stored: (limit: number) => string | RegExp }[] = [
  {
    name: 'multi-line',
    body: { message: 'first\nsecond\r\n\tthird' },
    stored: () => 'first\nsecond\r\n\tthird',
  },
  {
    name: '64 KiB',
    body: { message: 'x'.repeat(64 * kb) },
    stored: (limit) => (limit > 64 * kb ? 'x'.repeat(64 * kb) : / \[cut: 65536 bytes\]$/),
  },
  {
    name: 'over 256 KiB',
    body: { message: 'y'.repeat(300 * kb) },
    stored: () => /^y+ \[cut: 307200 bytes\]$/,
  },
  // Invalid UTF-8 decodes to U+FFFD, as Node decodes it; so does a lone UTF-16 surrogate.
  {
    name: 'invalid UTF-8',
    body: { bytes: Buffer.from([0x61, 0xff, 0xfe, 0x62]).toString('base64') },
    stored: () => 'a\ufffd\ufffdb',
  },
  { name: 'lone surrogate', body: { message: 'a\ud800b' }, stored: () => 'a\ufffdb' },
  {
    name: 'control characters',
    body: { message: 'bell\u0007 esc\u001b[31m del\u007f' },
    stored: () => 'bell\u0007 esc\u001b[31m del\u007f',
  },
];

// The most a message can take: 256 KiB, or over UDP a 65 507-byte datagram less the line's other fields.
const limits = { tcp: 256 * kb, udp: 65_507 - 600 };

for (const scheme of ['tcp', 'udp'] as const) {
  test(`awkward messages over syslog ${scheme} arrive intact or cut by the documented rule`, async () => {
    const service = uniqueId(`awkward-${scheme}`);
    const app = await startApp('logging.cjs', 'require', syslogEnv(service, scheme));
    const client = elasticsearch();
    try {
      const canaries = awkward.map((item) => uniqueId(item.name.replace(/\W+/g, '-')));
      for (const [i, item] of awkward.entries()) {
        const body = { ...item.body, fields: { 'test.canary': canaries[i] } };
        assert.equal(await postLog(app, body), 200, item.name);
      }
      for (const [i, item] of awkward.entries()) {
        const [line] = await logsWhere(client, 'test.canary', canaries[i] as string);
        const message = String(line?.source.message);
        const expected = item.stored(limits[scheme]);
        if (typeof expected === 'string') assert.equal(message, expected, item.name);
        else {
          assert.match(message, expected, item.name);
          const size = Buffer.byteLength(message.replace(/ \[cut: \d+ bytes\]$/, ''));
          assert.ok(
            size <= limits[scheme] + 600 && size > limits[scheme] - 2 * kb,
            `${item.name}: ${size} bytes kept`,
          );
        }
      }
      assert.equal(app.child.exitCode, null, 'the app is still running');
      assert.equal(app.stderr(), '');
    } finally {
      await client.close();
      await app.stop();
    }
  });
}
