// The cluster topology as resolved and rendered, nothing started: OBSKIT_TOPOLOGY, etcd's three
// members (names, ports, variables, flags), the single topology's one member as before, and
// every etcd client given all members: Traefik's endpoints, Prometheus' targets, the demo's URL.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatTable } from '../../cli/stack-command';
import { ObskitError } from '../../common/errors';
import { etcdUrlOf } from '../../demo-services/launch/plan';
import { memberArgs } from '../../stack/backends/etcd';
import { launchPlan } from '../../stack/launch';
import { statusesOf } from '../../stack/lifecycle';
import { localStackConfig } from '../../stack/local-stack';
import type { Backend, StackConfig } from '../../stack/types';
import { runCli } from '../helpers/stack';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-topology-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const envOf = (topology?: string, more: NodeJS.ProcessEnv = {}) => ({
  OBSKIT_HOME: join(scratch, 'home'),
  OBSKIT_RUN_DIR: join(scratch, topology ?? 'default'),
  ...(topology ? { OBSKIT_TOPOLOGY: topology } : {}),
  ...more,
});
const single = localStackConfig(envOf());
const cluster = localStackConfig(envOf('cluster'));
const backendOf = (config: StackConfig, name: string) =>
  config.backends.find((b) => b.name === name) as Backend;
const ports = (backend: Backend) =>
  backend.members.map((m) => [m.name, ...m.resolvedPorts.map((p) => `${p.port} ${p.env}`)]);

test('the topology is single by default; a bad OBSKIT_TOPOLOGY is refused in one line', () => {
  assert.equal(single.topology, 'single');
  assert.equal(cluster.topology, 'cluster');
  assert.throws(
    () => localStackConfig(envOf('three')),
    (error: unknown) =>
      error instanceof ObskitError &&
      error.code === 'OBSKIT_E_BAD_ENV' &&
      error.message ===
        'OBSKIT_TOPOLOGY="three" is not single or cluster; unset it or fix its value',
  );
});

test('single: every backend is its own one member, on its own ports', () => {
  // Those of the cluster topology alone have none (test/stack/cluster-health.test.ts).
  for (const backend of single.backends.filter((b) => !b.topologies)) {
    assert.deepEqual(
      backend.members.map((m) => [m.name, m.resolvedPorts]),
      [[backend.name, backend.resolvedPorts]],
    );
  }
});

test('cluster: etcd is etcd-1..3 on 2379/2380, 22379/22380, 32379/32380, each port its variable', () => {
  assert.deepEqual(ports(backendOf(cluster, 'etcd')), [
    ['etcd-1', '2379 OBSKIT_PORT_ETCD_CLIENT', '2380 OBSKIT_PORT_ETCD_PEER'],
    ['etcd-2', '22379 OBSKIT_PORT_ETCD_2_CLIENT', '22380 OBSKIT_PORT_ETCD_2_PEER'],
    ['etcd-3', '32379 OBSKIT_PORT_ETCD_3_CLIENT', '32380 OBSKIT_PORT_ETCD_3_PEER'],
  ]);
  const moved = localStackConfig(
    envOf('cluster', { OBSKIT_PORT_ETCD_CLIENT: '12379', OBSKIT_PORT_ETCD_3_PEER: '12390' }),
  );
  assert.deepEqual(
    backendOf(moved, 'etcd').members.map((m) => m.resolvedPorts.map((p) => p.port)),
    [
      [12379, 2380],
      [22379, 22380],
      [32379, 12390],
    ],
  );
  // A backend without members stays one process in the cluster topology.
  assert.deepEqual(
    backendOf(cluster, 'redis').members.map((m) => m.name),
    ['redis'],
  );
});

test('cluster: each member bootstraps the same three-member cluster on its own URLs', () => {
  const etcd = backendOf(cluster, 'etcd');
  const initial =
    'etcd-1=http://127.0.0.1:2380,etcd-2=http://127.0.0.1:22380,etcd-3=http://127.0.0.1:32380';
  const second = etcd.members[1];
  assert.ok(second);
  assert.deepEqual(memberArgs(etcd, second, '/data/etcd-2'), [
    ...['--name', 'etcd-2', '--data-dir', '/data/etcd-2'],
    ...['--listen-client-urls', 'http://127.0.0.1:22379'],
    ...['--advertise-client-urls', 'http://127.0.0.1:22379'],
    ...['--listen-peer-urls', 'http://127.0.0.1:22380'],
    ...['--initial-advertise-peer-urls', 'http://127.0.0.1:22380'],
    ...['--initial-cluster', initial, '--initial-cluster-state', 'new'],
    ...['--initial-cluster-token', 'obskit-etcd'],
    ...['--logger', 'zap', '--log-outputs', 'stderr'],
  ]);
  const plans = etcd.members.map((m) => launchPlan(cluster, etcd, undefined, m));
  assert.deepEqual(
    plans.map((p) => p.args[p.args.indexOf('--data-dir') + 1]),
    ['etcd-1', 'etcd-2', 'etcd-3'].map((name) => join(cluster.runDir, name, 'data')),
  );
});

test('single: etcd runs with the flags it always had', () => {
  const plan = launchPlan(single, backendOf(single, 'etcd'), undefined);
  const data = join(single.runDir, 'etcd', 'data');
  assert.deepEqual(plan.args, [
    ...['--name', 'obskit', '--data-dir', data],
    ...['--listen-client-urls', 'http://127.0.0.1:2379'],
    ...['--advertise-client-urls', 'http://127.0.0.1:2379'],
    ...['--listen-peer-urls', 'http://127.0.0.1:2380'],
    ...['--initial-advertise-peer-urls', 'http://127.0.0.1:2380'],
    ...['--initial-cluster', 'obskit=http://127.0.0.1:2380', '--initial-cluster-state', 'new'],
    ...['--logger', 'zap', '--log-outputs', 'stderr'],
  ]);
});

/** A rendered file of the backend's run directory. */
function rendered(config: StackConfig, name: string, file: string): string {
  launchPlan(config, backendOf(config, name), undefined);
  return readFileSync(join(config.runDir, name, 'config', file), 'utf8');
}

const members = '["127.0.0.1:2379", "127.0.0.1:22379", "127.0.0.1:32379"]';

test("cluster: Traefik's etcd provider and Prometheus' etcd job list all three members", () => {
  assert.equal(
    /^ {4}endpoints: (.*)$/m.exec(rendered(cluster, 'traefik', 'traefik.yml'))?.[1],
    members,
  );
  const prometheus = rendered(cluster, 'prometheus', 'prometheus.yml');
  const etcdJob = /job_name: etcd\n\s+static_configs:\n\s+- targets: (.*)/.exec(prometheus);
  assert.equal(etcdJob?.[1], members);
  // Other jobs keep their one target.
  assert.match(prometheus, /- targets: \["127\.0\.0\.1:9090"\]/);
});

test('single: Traefik and Prometheus keep the one etcd', () => {
  assert.match(rendered(single, 'traefik', 'traefik.yml'), /endpoints: \["127\.0\.0\.1:2379"\]/);
  assert.match(
    rendered(single, 'prometheus', 'prometheus.yml'),
    /job_name: etcd\n\s+static_configs:\n\s+- targets: \["127\.0\.0\.1:2379"\]/,
  );
});

test("the demo's OBSKIT_ETCD_URL names every member in a cluster, and OBSKIT_ETCD_URL wins", () => {
  assert.equal(etcdUrlOf(single, {}), 'http://127.0.0.1:2379');
  assert.equal(
    etcdUrlOf(cluster, {}),
    'http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379',
  );
  assert.equal(etcdUrlOf(cluster, { OBSKIT_ETCD_URL: 'http://e:1' }), 'http://e:1');
  assert.equal(etcdUrlOf(cluster, { DISCOVERY: 'static' }), undefined);
});

test('status: a line per member with its role in a cluster; single keeps its columns', async () => {
  // Nothing runs in these run directories: no pid, so no probe and no role is asked.
  const members = await statusesOf(cluster, [backendOf(cluster, 'etcd')]);
  assert.deepEqual(
    members.map((s) => [s.name, s.port, s.healthy, s.role]),
    [
      ['etcd-1', 2379, false, '-'],
      ['etcd-2', 22379, false, '-'],
      ['etcd-3', 32379, false, '-'],
    ],
  );
  assert.match(formatTable(members), /^BACKEND +VERSION +PORT +PID +HEALTHY +ROLE +URL\n/);
  const one = await statusesOf(single, [backendOf(single, 'etcd')]);
  assert.deepEqual(
    one.map((s) => [s.name, 'role' in s]),
    [['etcd', false]],
  );
  assert.match(formatTable(one), /^BACKEND +VERSION +PORT +PID +HEALTHY +URL\n/);
});

test('--topology takes single or cluster; anything else is a usage error in one line', () => {
  const result = runCli(['stack', 'status', '--topology', 'three'], envOf());
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'obskit: --topology "three" is not single or cluster (run \'obskit --help\' for usage) [OBSKIT_E_USAGE]\n',
  );
});
