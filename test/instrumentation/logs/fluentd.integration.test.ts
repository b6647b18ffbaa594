// The obskit logger's Fluentd transport against a real forward-protocol receiver: the stack's
// otelcol (an OpenTelemetry Collector with the fluentforward receiver), which acknowledges
// each batch and writes what it received to a file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startApp, startLogWriter } from '../../helpers/apps';
import { forwardedRecords } from '../../helpers/forwarded';
import { newTraceparent } from '../../helpers/jaeger';
import { poll, portOf, runCli, uniqueId } from '../../helpers/stack';

const fluentdEnv = {
  OTEL_TRACES_EXPORTER: 'none',
  OBSKIT_LOG_TRANSPORTS: 'fluentd',
  OBSKIT_LOG_FLUENTD_URL: `tcp://127.0.0.1:${portOf('otelcol', 'forward')}`,
};

const recordsWhere = (field: string, value: string) =>
  forwardedRecords().filter((record) => record.attributes[field] === value);

test('a line logged in a traced request arrives over the forward protocol as one ECS record', async () => {
  const service = uniqueId('fluentd');
  const canary = uniqueId('canary');
  const app = await startApp('logging.cjs', 'require', {
    ...fluentdEnv,
    OTEL_SERVICE_NAME: service,
  });
  try {
    const context = newTraceparent();
    const response = await fetch(`http://127.0.0.1:${app.port}/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: context.header },
      body: JSON.stringify({ message: 'paid', level: 'error', fields: { 'test.canary': canary } }),
    });
    assert.equal(response.status, 200);
    const [record] = await poll('the record at the forward receiver', async () => {
      const found = recordsWhere('test.canary', canary);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(record?.body, 'paid');
    const { attributes } = record ?? { attributes: {} };
    assert.equal(attributes['fluent.tag'], 'obskit');
    assert.equal(attributes['log.level'], 'error');
    assert.deepEqual(attributes.trace, { id: context.traceId });
    assert.deepEqual(attributes.service, { name: service, version: '0.1.0' });
    assert.deepEqual(attributes.event, { sequence: 1 });
    // The event time is the line's @timestamp, to the millisecond.
    assert.equal(
      Number(BigInt(record?.timeUnixNano ?? 0) / 1_000_000n),
      Date.parse(String(attributes['@timestamp'])),
    );
    assert.equal(recordsWhere('test.canary', canary).length, 1);
  } finally {
    await app.stop();
  }
});

test('the forward receiver stopped for 5 s: every line arrives once it is back', async () => {
  const run = uniqueId('fluentd-outage');
  const total = 20 * 20;
  const writer = startLogWriter(run, { ...fluentdEnv, RATE: '20', DURATION_S: '20' });
  try {
    await delay(7_000);
    assert.equal(runCli(['stack', 'down', '--only', 'otelcol']).code, 0);
    await delay(5_000);
    assert.equal(runCli(['stack', 'up', '--only', 'otelcol']).code, 0);
    const report = await writer.report;
    assert.equal(report.written, total);
    assert.equal(report.logs.fluentd?.dropped, 0);
    assert.equal(report.logs.fluentd?.queued, 0);
    // Acknowledged batches are sent once; a batch whose acknowledgement was lost is sent again.
    const expected = Array.from({ length: total }, (_, i) => i + 1);
    const received = await poll('every line at the forward receiver', async () => {
      const sequences = recordsWhere('test.run', run).map((r) => Number(r.attributes['test.seq']));
      const distinct = [...new Set(sequences)].sort((a, b) => a - b);
      return distinct.length >= total ? distinct : undefined;
    });
    assert.deepEqual(received, expected);
  } finally {
    writer.stop();
  }
});
