// The discovery alerts end to end on the stack's etcd, Prometheus and Alertmanager: a service whose
// last key goes from etcd fires DiscoveryNoEndpoints, and an etcd member that loses its quorum
// fires etcdNoLeader, each within its `for` plus evaluation, scrape and notification delays.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  instanceKey,
  instanceValue,
  servicePrefix,
} from '../../demo-services/common/discovery/keys';
import { type RunningApp, startApp } from '../helpers/apps';
import { etcdDeletePrefix, etcdPut } from '../helpers/etcd';
import { freePort } from '../helpers/ports';
import { activeAlerts, promQuery } from '../helpers/prometheus';
import { poll, stack, uniqueId, urlOf } from '../helpers/stack';

const targetsDir = join(stack.runDir, 'prometheus', 'config', 'targets');
/** Two evaluation intervals, the 5 s scrape of obskit-apps and 5 s to notify Alertmanager. */
const delaysMs = 2 * 10_000 + 5_000 + 5_000;

/** Has Prometheus scrape `target` through the file_sd folder with `labels`; returns the file. */
function addTarget(name: string, target: string, labels: Record<string, string>): string {
  const file = join(targetsDir, `${name}.json`);
  writeFileSync(file, JSON.stringify([{ targets: [target], labels }]));
  return file;
}

const valueNow = async (promql: string) => (await promQuery(promql))[0]?.value[1];

/** Waits until Prometheus has scraped `value` for `promql`. */
const scraped = (what: string, promql: string, value: string) =>
  poll(what, async () => ((await valueNow(promql)) === value ? true : undefined), 60_000);

async function alertIn(alertname: string, matcher: string, deadlineMs: number) {
  const alerts = await poll(
    `${alertname} for ${matcher} in Alertmanager`,
    async () => {
      const active = await activeAlerts(matcher);
      return active.length > 0 ? active : undefined;
    },
    deadlineMs,
  );
  assert.equal(alerts.length, 1);
  return alerts[0]?.labels;
}

test('a service whose last endpoint leaves etcd fires DiscoveryNoEndpoints', async (t) => {
  const discovered = uniqueId('discovered');
  const address = '127.0.0.1:1';
  const metricsPort = await freePort();
  t.after(() => etcdDeletePrefix(servicePrefix(discovered)));
  await etcdPut(instanceKey(discovered, address), instanceValue(address));
  const app: RunningApp = await startApp('discovery-client.cjs', 'require', {
    OTEL_TRACES_EXPORTER: 'none',
    OBSKIT_METRICS_PORT: String(metricsPort),
    OBSKIT_ETCD_URL: urlOf('etcd', '', 'client'),
    DISCOVERED_SERVICE: discovered,
  });
  t.after(() => app.stop());
  const file = addTarget(discovered, `127.0.0.1:${metricsPort}`, { service: discovered });
  t.after(() => rmSync(file, { force: true }));

  const gauge = `discovery_endpoints{discovered_service="${discovered}"}`;
  await scraped('the endpoint scraped', gauge, '1').catch((error: Error) => {
    throw new Error(`${error.message}; the client said: ${app.stderr()}`);
  });
  await etcdDeletePrefix(servicePrefix(discovered));
  // for: 30s; the client's watch sees the delete within a second.
  const labels = await alertIn(
    'DiscoveryNoEndpoints',
    `discovered_service="${discovered}"`,
    30_000 + 1_000 + delaysMs,
  );
  assert.deepEqual(labels, {
    alertname: 'DiscoveryNoEndpoints',
    discovered_service: discovered,
    severity: 'critical',
  });
  assert.equal(await valueNow(gauge), '0');
});

interface Member {
  name: string;
  client: string;
  peer: string;
  process?: ChildProcess;
  stderr: string;
}

/** A member of a two-member cluster on free ports, with the stack's etcd command. */
function startMember(member: Member, cluster: string, dataDir: string): void {
  const args = [
    ...['--name', member.name, '--data-dir', join(dataDir, member.name)],
    ...['--listen-client-urls', member.client, '--advertise-client-urls', member.client],
    ...['--listen-peer-urls', member.peer, '--initial-advertise-peer-urls', member.peer],
    ...['--initial-cluster', cluster, '--initial-cluster-state', 'new'],
    ...['--logger', 'zap', '--log-outputs', 'stderr'],
  ];
  const child = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Only the tail is kept: it says why a member did not come up.
  child.stderr?.on('data', (chunk: Buffer) => {
    member.stderr = (member.stderr + chunk.toString()).slice(-4000);
  });
  member.process = child;
}

async function stopMember(member: Member): Promise<void> {
  const child = member.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

test('an etcd member that loses its quorum fires etcdNoLeader', async (t) => {
  const job = uniqueId('etcd-quorum');
  const dataDir = mkdtempSync(join(tmpdir(), 'obskit-etcd-'));
  const url = async () => `http://127.0.0.1:${await freePort()}`;
  const members: Member[] = [];
  for (const name of ['a', 'b'])
    members.push({ name, client: await url(), peer: await url(), stderr: '' });
  const [kept, stopped] = members as [Member, Member];
  t.after(async () => {
    for (const member of members) await stopMember(member);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const cluster = members.map((m) => `${m.name}=${m.peer}`).join(',');
  for (const member of members) startMember(member, cluster, dataDir);
  const file = addTarget(job, kept.client.replace('http://', ''), { job });
  t.after(() => rmSync(file, { force: true }));

  const hasLeader = `etcd_server_has_leader{job="${job}"}`;
  await scraped('the member with a leader', hasLeader, '1').catch((error: Error) => {
    throw new Error(`${error.message}; etcd ${kept.name} said: ${kept.stderr}`);
  });
  await stopMember(stopped);
  // for: 1m; the member drops its leader after its election timeout (1 s).
  const labels = await alertIn('etcdNoLeader', `job="${job}"`, 60_000 + 2_000 + delaysMs);
  assert.deepEqual(
    { ...labels, instance: undefined },
    { alertname: 'etcdNoLeader', instance: undefined, job, severity: 'critical' },
  );
  assert.equal(labels?.instance, kept.client.replace('http://', ''));
  assert.equal(await valueNow(hasLeader), '0');
});
