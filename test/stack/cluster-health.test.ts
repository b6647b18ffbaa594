// The cluster topology's health exporter and `stack down` across topologies, nothing of the stack
// started: elasticsearch_exporter runs as three members beside the three nodes in the cluster
// topology and not at all in the single one, Prometheus' elasticsearch job lists them (none in
// single), and `stack down` stops the members of whichever topology runs, without --topology.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { launchPlan } from '../../stack/launch';
import { processNamesOf, statusesOf } from '../../stack/lifecycle';
import { localStackConfig } from '../../stack/local-stack';
import { isAlive, startProcess } from '../../stack/processes';
import type { Backend, StackConfig } from '../../stack/types';
import { runCliAsync } from '../helpers/stack';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-cluster-health-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const envOf = (topology: string, runDir = join(scratch, topology)) => ({
  OBSKIT_HOME: join(scratch, 'home'),
  OBSKIT_RUN_DIR: runDir,
  OBSKIT_TOPOLOGY: topology,
});
const single = localStackConfig(envOf('single'));
const cluster = localStackConfig(envOf('cluster'));
const backendOf = (config: StackConfig, name: string) =>
  config.backends.find((b) => b.name === name) as Backend;

test('single: no exporter runs, and status lists none', async () => {
  const exporter = backendOf(single, 'elasticsearch-exporter');
  assert.deepEqual(exporter.members, []);
  assert.deepEqual(await statusesOf(single, [exporter]), []);
});

test('cluster: exporters 1..3 on 9114, 9115, 9116, each asking its own node', () => {
  const exporter = backendOf(cluster, 'elasticsearch-exporter');
  assert.deepEqual(
    exporter.members.map((m) => [m.name, m.resolvedPorts.map((p) => `${p.port} ${p.env}`)]),
    [
      ['elasticsearch-exporter-1', ['9114 OBSKIT_PORT_ELASTICSEARCH_EXPORTER']],
      ['elasticsearch-exporter-2', ['9115 OBSKIT_PORT_ELASTICSEARCH_EXPORTER_2']],
      ['elasticsearch-exporter-3', ['9116 OBSKIT_PORT_ELASTICSEARCH_EXPORTER_3']],
    ],
  );
  const plans = exporter.members.map((m) => launchPlan(cluster, exporter, undefined, m));
  assert.deepEqual(
    plans.map((p) => p.args.slice(0, 2)),
    [9114, 9115, 9116].map((port, i) => [
      `--web.listen-address=127.0.0.1:${port}`,
      `--es.uri=http://127.0.0.1:${9200 + i}`,
    ]),
  );
  assert.equal(plans[0]?.command, join(cluster.home, 'bin', 'elasticsearch_exporter'));
});

/** The targets of Prometheus' elasticsearch job as the stack renders prometheus.yml. */
function elasticsearchTargets(config: StackConfig): string | undefined {
  launchPlan(config, backendOf(config, 'prometheus'), undefined);
  const text = readFileSync(join(config.runDir, 'prometheus', 'config', 'prometheus.yml'), 'utf8');
  return /job_name: elasticsearch\n\s+static_configs:\n\s+- targets: (.*)/.exec(text)?.[1];
}

test("Prometheus' elasticsearch job scrapes the three exporters in a cluster, nothing in single", () => {
  assert.equal(
    elasticsearchTargets(cluster),
    '["127.0.0.1:9114", "127.0.0.1:9115", "127.0.0.1:9116"]',
  );
  assert.equal(elasticsearchTargets(single), '[]');
});

test('every process a backend may run as, in either topology', () => {
  assert.deepEqual(processNamesOf(backendOf(single, 'etcd')), [
    'etcd',
    'etcd-1',
    'etcd-2',
    'etcd-3',
  ]);
  assert.deepEqual(processNamesOf(backendOf(cluster, 'etcd')), [
    'etcd',
    'etcd-1',
    'etcd-2',
    'etcd-3',
  ]);
  assert.deepEqual(processNamesOf(backendOf(single, 'redis')), ['redis']);
  assert.deepEqual(processNamesOf(backendOf(single, 'elasticsearch-exporter')), [
    'elasticsearch-exporter',
    'elasticsearch-exporter-1',
    'elasticsearch-exporter-2',
    'elasticsearch-exporter-3',
  ]);
});

/** A stand-in process (sleep) under the supervisor's pid file of `name` in `runDir`. */
function standIn(runDir: string, name: string): number {
  return startProcess({
    command: 'sleep',
    args: ['120'],
    cwd: scratch,
    logFile: join(runDir, name, `${name}.log`),
    pidFile: join(runDir, name, 'pid'),
  });
}

for (const [started, topology, names] of [
  ['cluster', undefined, ['etcd-1', 'etcd-2', 'etcd-3']],
  ['single', 'cluster', ['etcd']],
] as const) {
  test(`stack down ${topology ? `--topology ${topology}` : 'without --topology'} stops the ${started} topology's ${names.join(', ')}`, async () => {
    const runDir = join(scratch, `down-${started}`);
    const pids = names.map((name) => standIn(runDir, name));
    const args = ['stack', 'down', '--only', 'etcd', ...(topology ? ['--topology', topology] : [])];
    const result = await runCliAsync(args, { ...envOf('', runDir), OBSKIT_TOPOLOGY: '' });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.stdout.trim().split('\n').sort(),
      names.map((name, i) => `stopped ${name} (pid ${pids[i]})`),
    );
    assert.deepEqual(
      pids.filter((pid) => isAlive(pid)),
      [],
    );
  });
}
