// Receivers that go away while the obskit logger writes: Elasticsearch behind rsyslog, and
// rsyslog itself, each stopped in the middle of a steady stream of numbered lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startLogWriter } from '../../helpers/apps';
import { elasticsearch, logsWhere } from '../../helpers/elasticsearch';
import { freePort } from '../../helpers/ports';
import { poll, portOf, runCli, uniqueId } from '../../helpers/stack';

const rate = 20;
const durationS = 60;
const total = rate * durationS;

/** log-writer.cjs shipping over syslog to the stack's rsyslog. */
const startWriter = (run: string, env: NodeJS.ProcessEnv) =>
  startLogWriter(run, {
    OBSKIT_LOG_TRANSPORTS: 'syslog',
    OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
    RATE: String(rate),
    DURATION_S: String(durationS),
    ...env,
  });

/** The sequence numbers Elasticsearch holds for a run, in order, duplicates included. */
async function storedSequences(run: string, atLeast: number): Promise<number[]> {
  const client = elasticsearch();
  try {
    const lines = await logsWhere(client, 'test.run', run, atLeast, 180_000);
    return lines.map((line) => Number(line.source['test.seq'])).sort((a, b) => a - b);
  } finally {
    await client.close();
  }
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test(`Elasticsearch stopped for 30 s of 60: all ${total} lines arrive, each once`, async () => {
  const run = uniqueId('es-outage');
  const writer = startWriter(run, {});
  try {
    await delay(15_000);
    assert.equal(runCli(['stack', 'down', '--only', 'elasticsearch']).code, 0);
    await delay(30_000);
    assert.equal(runCli(['stack', 'up', '--only', 'elasticsearch']).code, 0);
    const report = await writer.report;
    assert.equal(report.written, total);
    assert.equal(report.logs.syslog?.dropped, 0);
    assert.deepEqual(await storedSequences(run, total), oneTo(total));
  } finally {
    writer.stop();
  }
});

test('rsyslog stopped for 10 s: the queue covers it; a smaller queue drops, and counts, the rest', async () => {
  const runs = { ample: uniqueId('rsyslog-outage'), small: uniqueId('rsyslog-outage-small') };
  const metricsPort = await freePort();
  const ample = startWriter(runs.ample, {});
  const small = startWriter(runs.small, {
    OBSKIT_LOG_QUEUE_SIZE: '50',
    OBSKIT_METRICS_PORT: String(metricsPort),
  });
  try {
    await delay(20_000);
    assert.equal(runCli(['stack', 'down', '--only', 'rsyslog']).code, 0);
    await delay(10_000);
    assert.equal(runCli(['stack', 'up', '--only', 'rsyslog']).code, 0);

    const ampleReport = await ample.report;
    assert.equal(ampleReport.logs.syslog?.dropped, 0);
    assert.deepEqual(await storedSequences(runs.ample, total), oneTo(total));
    assert.match(ample.stderr(), /syslog receiver at tcp:\/\/127\.0\.0\.1:\d+ is unreachable/);

    const smallReport = await small.report;
    const dropped = smallReport.logs.syslog?.dropped ?? 0;
    assert.ok(dropped > 0, 'a 50-line queue cannot hold 10 s of 20 lines a second');
    const stored = await storedSequences(runs.small, total - dropped);
    assert.equal(new Set(stored).size, stored.length, 'no line is stored twice');
    assert.equal(stored.length, total - dropped);
    const exported = await poll('the dropped-lines metric', async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const match = /^obskit_log_lines_dropped_total\{transport="syslog"\} (\d+)$/m.exec(text);
      return match ? Number(match[1]) : undefined;
    });
    assert.equal(exported, dropped);
  } finally {
    ample.stop();
    small.stop();
  }
});
