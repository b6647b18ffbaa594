// etcd as three members (the cluster topology), started by the real `obskit stack up --topology
// cluster --only etcd` in a run directory and on ports of its own: one leader; a key written
// through one member reads back through another; the leader SIGKILLed, the other two elect one
// and both say etcd_server_has_leader 1 while registration and resolution through the demo's
// client, given all three endpoints, keep working (failed operations counted and bounded); the
// killed member, started again, rejoins. It stops what it started, also when an assertion fails.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { followPrefix } from '../../demo-services/common/discovery/endpoints';
import { etcdClient } from '../../demo-services/common/discovery/etcd-client';
import {
  instanceKey,
  instanceValue,
  servicePrefix,
} from '../../demo-services/common/discovery/keys';
import { type Registration, register } from '../../demo-services/common/discovery/registration';
import type { BackendStatus } from '../../stack/lifecycle';
import { countedLoop } from '../helpers/counted-loop';
import {
  clusterCli,
  clusterRunDir,
  localValue,
  memberGauge,
  memberStatuses,
  memberUrls,
} from '../helpers/etcd-cluster';
import { poll, uniqueId } from '../helpers/stack';

/** How long the two members left may take to elect a leader and answer again. */
const electionDeadlineMs = 15_000;
/**
 * Operations (a put, then a read of it, through the client with all three endpoints) that may
 * fail in all while the leader is gone: those that wait on the old leader until the client's
 * 2 s timeout, on each of the two members left, before a leader is elected.
 */
const failedBound = 3;

const prefix = `/obskit-test/${uniqueId('cluster')}/`;
const service = uniqueId('cluster-service');
const registrations: Registration[] = [];
let killed: BackendStatus | undefined;
/** The last key the operations wrote while the killed member was away. */
let lastKey = '';

before(async () => {
  const up = await clusterCli('up');
  if (up.code !== 0) throw new Error(`stack up --topology cluster: ${up.stdout}${up.stderr}`);
});

after(async () => {
  await Promise.all(registrations.map((r) => r.stop()));
  const down = await clusterCli('down');
  rmSync(clusterRunDir, { recursive: true, force: true });
  assert.equal(down.code, 0, down.stderr);
});

const leadersOf = (statuses: BackendStatus[]) => statuses.filter((s) => s.role === 'leader');
const hasLeaderOf = (urls: string[]) =>
  Promise.all(urls.map((u) => memberGauge(u, 'etcd_server_has_leader')));

test('stack status lists three healthy members, exactly one of them the leader', async () => {
  const statuses = await memberStatuses();
  assert.deepEqual(
    statuses.map((s) => [s.name, s.healthy]),
    [
      ['etcd-1', true],
      ['etcd-2', true],
      ['etcd-3', true],
    ],
  );
  assert.equal(leadersOf(statuses).length, 1);
  assert.equal(statuses.filter((s) => s.role === 'follower').length, 2);
  const table = await clusterCli('status');
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^BACKEND +VERSION +PORT +PID +HEALTHY +ROLE +URL$/m);
  assert.equal(table.stdout.match(/ leader /g)?.length, 1);
});

test('a key written through one member reads back through another', async () => {
  const key = `${prefix}hello`;
  await etcdClient(memberUrls[0] as string).put(key, 'from etcd-1');
  const listing = await etcdClient(memberUrls[2] as string).list(key);
  assert.deepEqual(listing.kvs, [{ key, value: 'from etcd-1' }]);
});

/** Registers one instance of `service` at `address` through `client`, stopped at the end. */
async function registerAt(client: ReturnType<typeof etcdClient>, address: string) {
  const entries = { [instanceKey(service, address)]: instanceValue(address) };
  registrations.push(await register(client, entries, `cluster test ${address}`));
}

/** The leader among the members but `gone`, once both are healthy and have a leader again. */
async function electedWithout(gone: BackendStatus, survivors: string[]): Promise<BackendStatus> {
  const next = await poll(
    'a leader among the two left',
    async () => {
      const left = (await memberStatuses()).filter((s) => s.name !== gone.name);
      const leaders = leadersOf(left);
      return leaders.length === 1 && left.every((s) => s.healthy) ? leaders[0] : undefined;
    },
    electionDeadlineMs,
  );
  await poll(
    'etcd_server_has_leader 1 on both',
    async () => (await hasLeaderOf(survivors)).every((v) => v === 1) || undefined,
  );
  return next;
}

test('the leader SIGKILLed: the two left elect one, and the demo client keeps working', async (t) => {
  const statuses = await memberStatuses();
  const leader = leadersOf(statuses)[0];
  assert.ok(leader?.pid, 'a leader with a pid');
  killed = leader;
  const survivors = statuses.filter((s) => s !== leader).map((s) => s.url);
  // The dead member first: every call the client makes meets it before the others.
  const client = etcdClient([leader.url, ...survivors]);
  let resolved: string[] = [];
  const follower = followPrefix(client, servicePrefix(service), {
    onAddresses: (addresses) => {
      resolved = addresses;
    },
    onNoListing: () => {},
  });
  const loop = countedLoop(async (round) => {
    const key = `${prefix}op-${round}`;
    await client.put(key, String(round));
    if ((await client.list(key)).kvs[0]?.value !== String(round)) throw new Error(`${key} lost`);
    lastKey = key;
  });
  try {
    await registerAt(client, '10.0.0.1:1');
    await poll(
      'the first instance to resolve',
      async () => resolved.includes('10.0.0.1:1') || undefined,
    );
    process.kill(leader.pid, 'SIGKILL');
    const killedAt = Date.now();
    const next = await electedWithout(leader, survivors);
    t.diagnostic(`${next.name} leads ${Date.now() - killedAt} ms after ${leader.name} was killed`);
    // A registration made after the kill resolves, and the one made before is still there.
    await registerAt(client, '10.0.0.2:2');
    await poll(
      'both instances to resolve through the members left',
      async () => (resolved.join() === '10.0.0.1:1,10.0.0.2:2' ? true : undefined),
      electionDeadlineMs,
    );
    const okBefore = loop.counts.ok;
    await poll('ten more operations', async () => loop.counts.ok >= okBefore + 10 || undefined);
  } finally {
    follower.stop();
    await loop.stop();
  }
  const { ok, failed, errors } = loop.counts;
  t.diagnostic(`operations: ${ok} ok, ${failed} failed${failed ? `: ${errors.join(' | ')}` : ''}`);
  assert.ok(failed <= failedBound, `${failed} failed operations, more than ${failedBound}`);
  assert.deepEqual(await hasLeaderOf(survivors), [1, 1]);
});

test('the killed member, started again by stack up, rejoins and catches up', async () => {
  assert.ok(killed, 'a member was killed');
  const up = await clusterCli('up');
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`^started ${killed.name}$`, 'm'));
  assert.equal(up.stdout.match(/ is already running$/gm)?.length, 2);
  const statuses = await memberStatuses();
  assert.deepEqual(
    statuses.map((s) => s.healthy),
    [true, true, true],
  );
  assert.equal(leadersOf(statuses).length, 1);
  assert.deepEqual(await hasLeaderOf(statuses.map((s) => s.url)), [1, 1, 1]);
  // Its own store holds what was written while it was away.
  const expected = lastKey.slice(lastKey.lastIndexOf('-') + 1);
  await poll('the rejoined member to hold the last key', async () =>
    (await localValue(killed?.url as string, lastKey)) === expected ? true : undefined,
  );
});
