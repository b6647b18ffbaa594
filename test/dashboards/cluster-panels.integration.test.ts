// The cluster dashboard's panels and the cluster alerts on the real cluster topology: three
// Elasticsearch nodes with their exporters, three etcd members and Prometheus, from `obskit stack
// up --topology cluster` on ports of their own. Every panel is run as Grafana would and must show
// the exact values: green, 3 nodes, 0 unassigned shards, 3 members each with a leader; then an
// Elasticsearch node SIGKILLed (red, then yellow once its unreplicated index is deleted, with the
// shard copies it held unassigned), then the etcd leader and a second member SIGKILLed. Each alert
// reaches firing through a copy of its rule with `for: 5s`, the real rules at least pending.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { elasticsearchClient } from '../../stack/elasticsearch-client';
import type { BackendStatus } from '../../stack/lifecycle';
import {
  alertStates,
  clusterCli,
  kill,
  loadTestRules,
  nodeHttpPorts,
  panelValues,
  rssMb,
  runDir,
  statuses,
} from '../helpers/cluster-health';
import { poll } from '../helpers/stack';

let client: Client;
const start = Date.now();
const range = () => ({ fromMs: start, toMs: Date.now() });

before(async () => {
  const up = await clusterCli('up');
  if (up.code !== 0) throw new Error(`stack up --topology cluster: ${up.stdout}${up.stderr}`);
  client = elasticsearchClient(nodeHttpPorts);
  await loadTestRules();
});

after(async () => {
  await client?.close();
  const down = await clusterCli('down');
  rmSync(runDir, { recursive: true, force: true });
  assert.equal(down.code, 0, down.stderr);
});

/** Polls until the panels named in `expected` show exactly those values; returns the last seen. */
async function panelsReach(expected: Record<string, string[]>, deadlineMs = 90_000) {
  let seen: Record<string, string[]> = {};
  const pick = (all: Record<string, string[]>) =>
    Object.fromEntries(Object.keys(expected).map((title) => [title, all[title] ?? []]));
  await poll(
    'the panels at their values',
    async () => {
      seen = pick(await panelValues(range()));
      return JSON.stringify(seen) === JSON.stringify(expected) ? true : undefined;
    },
    deadlineMs,
  ).catch(() => undefined);
  assert.deepEqual(seen, expected);
}

/** Polls until alert `name` is in one of `states`. */
async function alertReaches(name: string, states: string[], deadlineMs = 90_000) {
  let seen: string[] = [];
  await poll(
    `${name} ${states.join(' or ')}`,
    async () => {
      seen = await alertStates(name);
      return seen.some((s) => states.includes(s)) ? true : undefined;
    },
    deadlineMs,
  ).catch(() => undefined);
  assert.ok(
    seen.some((s) => states.includes(s)),
    `${name}: ${seen.join(',') || 'inactive'}`,
  );
}

const named = (all: BackendStatus[], name: string) => all.find((s) => s.name === name);

test('every panel on the healthy cluster: green, 3 nodes, 0 unassigned, 3 members with a leader', async (t) => {
  await panelsReach({
    'Elasticsearch cluster health': ['0'],
    'Elasticsearch nodes': ['3'],
    'Unassigned shards': ['0'],
    'etcd members up': ['3'],
    'etcd members down': ['0'],
    'etcd members with a leader': ['1', '1', '1'],
    'etcd leader changes seen': ['1', '1', '1'],
  });
  for (const alert of ['ElasticsearchClusterRedTest', 'ElasticsearchClusterYellowTest'])
    assert.deepEqual(await alertStates(alert), [], alert);
  assert.deepEqual(await alertStates('etcdMembersDownTest'), []);
  // What each member holds in memory, idle, for docs/stack.md's Topologies.
  const memory = (await statuses()).map((s) => `${s.name} ${rssMb(s)} MB`);
  t.diagnostic(`resident: ${memory.join(', ')}`);
});

/** Shard copies on `node`, of every index. */
async function copiesOn(node: string): Promise<number> {
  const shards = await client.cat.shards({ format: 'json', h: 'node' });
  return shards.filter((s) => s.node === node).length;
}

test('an Elasticsearch node SIGKILLed: red with its unreplicated index, yellow without, its copies unassigned', async (t) => {
  // Replicated, whose copies wait 5 minutes for the node rather than being rebuilt; and one
  // shard with no replica on elasticsearch-3 alone, which goes when it goes.
  const delayed = { 'index.unassigned.node_left.delayed_timeout': '5m' };
  await client.indices.create({
    index: 'cluster-test-replicated',
    settings: { number_of_shards: 3, number_of_replicas: 1, ...delayed },
  });
  await client.indices.create({
    index: 'cluster-test-alone',
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      'index.routing.allocation.require._name': 'elasticsearch-3',
    },
  });
  await client.cluster.health({ wait_for_status: 'green', timeout: '60s' });
  const held = await copiesOn('elasticsearch-3');
  t.diagnostic(`elasticsearch-3 holds ${held} shard copies`);
  assert.ok(held >= 2, `elasticsearch-3 holds ${held}`);
  kill(named(await statuses(), 'elasticsearch-3'));
  await panelsReach({
    'Elasticsearch cluster health': ['2'],
    'Elasticsearch nodes': ['2'],
    'Unassigned shards': [String(held)],
  });
  await alertReaches('ElasticsearchClusterRedTest', ['firing']);
  await alertReaches('ElasticsearchClusterRed', ['pending', 'firing']);
  await client.indices.delete({ index: 'cluster-test-alone' });
  await panelsReach({
    'Elasticsearch cluster health': ['1'],
    'Elasticsearch nodes': ['2'],
    'Unassigned shards': [String(held - 1)],
  });
  await alertReaches('ElasticsearchClusterYellowTest', ['firing']);
  await alertReaches('ElasticsearchClusterYellow', ['pending']);
  assert.deepEqual(await alertStates('ElasticsearchClusterRedTest'), []);
});

test('the etcd leader SIGKILLed: 2 members up, each with the new leader, a second election seen; then a second member: no leader', async () => {
  const members = (await statuses()).filter((s) => s.name.startsWith('etcd-'));
  const leader = members.find((s) => s.role === 'leader');
  assert.ok(leader, JSON.stringify(members));
  kill(leader);
  await panelsReach({
    'etcd members up': ['2'],
    'etcd members down': ['1'],
    'etcd members with a leader': ['1', '1'],
    // A range: the killed member's line ends at the one election it saw, the others' at two.
    'etcd leader changes seen': ['1', '2', '2'],
  });
  await alertReaches('etcdMembersDownTest', ['firing']);
  await alertReaches('etcdMembersDown', ['pending', 'firing']);
  assert.deepEqual(await alertStates('etcdNoLeaderTest'), []);
  kill(members.find((s) => s !== leader));
  await panelsReach({
    'etcd members up': ['1'],
    'etcd members down': ['2'],
    'etcd members with a leader': ['0'],
  });
  await alertReaches('etcdNoLeaderTest', ['firing']);
  await alertReaches('etcdNoLeader', ['pending', 'firing']);
});
