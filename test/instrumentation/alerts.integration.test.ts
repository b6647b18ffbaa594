// An alert end to end: an instrumented service stops, Prometheus's TargetDown fires within its
// `for` plus two evaluation intervals, and Alertmanager delivers it to the webhook receiver.

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RunningApp, startApp } from '../helpers/apps';
import { freePort } from '../helpers/ports';
import { activeAlerts } from '../helpers/prometheus';
import { getJson, poll, stack, uniqueId, urlOf } from '../helpers/stack';

/** Where collectors/prometheus/alertmanager.yml sends every alert. */
const webhookPort = 9095;
const service = uniqueId('alerting');
const targetFile = join(stack.runDir, 'prometheus', 'config', 'targets', `${service}.json`);
const received: { status: string; labels: Record<string, string> }[] = [];
let webhook: Server;
let app: RunningApp;

before(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push(...(JSON.parse(body) as { alerts: typeof received }).alerts);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    webhook.once('error', (error) =>
      reject(new Error(`the webhook receiver needs 127.0.0.1:${webhookPort}: ${error}`)),
    );
    webhook.listen(webhookPort, '127.0.0.1', resolve);
  });
  const metricsPort = await freePort();
  app = await startApp('hello.cjs', 'require', {
    OTEL_TRACES_EXPORTER: 'none',
    OBSKIT_METRICS_PORT: String(metricsPort),
  });
  writeFileSync(
    targetFile,
    JSON.stringify([{ targets: [`127.0.0.1:${metricsPort}`], labels: { service } }]),
  );
});

after(async () => {
  rmSync(targetFile, { force: true });
  await app?.stop();
  webhook?.close();
});

interface Vector {
  data: { result: { value: [number, string] }[] };
}

test('a stopped service fires TargetDown, and Alertmanager delivers it to the webhook', async () => {
  const upQuery = urlOf(
    'prometheus',
    `/api/v1/query?query=${encodeURIComponent(`up{service="${service}"}`)}`,
  );
  await poll(
    'the service scraped',
    async () =>
      (await getJson<Vector>(upQuery)).data.result[0]?.value[1] === '1' ? true : undefined,
    60_000,
  );

  await app.stop();
  // for: 1m, plus two evaluation intervals of 10 s, plus the 5 s scrape that notices the stop
  // and 5 s for Prometheus to notify Alertmanager.
  const deadlineMs = 60_000 + 2 * 10_000 + 5_000 + 5_000;
  const alerts = await poll(
    'TargetDown in Alertmanager',
    async () => {
      const active = await activeAlerts(`service="${service}"`);
      return active.length > 0 ? active : undefined;
    },
    deadlineMs,
  );
  assert.equal(alerts.length, 1);
  assert.deepEqual(
    { ...alerts[0]?.labels, instance: undefined },
    {
      alertname: 'TargetDown',
      instance: undefined,
      job: 'obskit-apps',
      service,
      severity: 'critical',
    },
  );

  const delivered = await poll('the alert at the webhook', async () =>
    received.find((a) => a.labels.service === service && a.status === 'firing'),
  );
  assert.equal(delivered.labels.alertname, 'TargetDown');
});
