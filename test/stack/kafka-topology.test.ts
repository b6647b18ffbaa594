// Kafka and Jaeger's two members in the cluster topology as resolved and rendered, nothing
// started: Kafka only there, its ports and variables, the rendered server.properties; Jaeger's
// collector on kafka.yaml and ingester on ingester.yaml with their ports; the pom that brings
// Kafka's jars; the single topology as before.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { jaegerConfigs, jaegerRole } from '../../stack/backends/jaeger';
import { jarsPom } from '../../stack/install/maven';
import { launchPlan } from '../../stack/launch';
import { stackUp } from '../../stack/lifecycle';
import { localStackConfig } from '../../stack/local-stack';
import { renderCollector } from '../../stack/render';
import type { StackConfig } from '../../stack/types';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-kafka-topology-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const envOf = (topology: string) => ({
  OBSKIT_HOME: join(scratch, 'home'),
  OBSKIT_RUN_DIR: join(scratch, topology),
  OBSKIT_TOPOLOGY: topology,
});
const single = localStackConfig(envOf('single'));
const cluster = localStackConfig(envOf('cluster'));
const backendOf = (config: StackConfig, name: string) => {
  const found = config.backends.find((b) => b.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

test('Kafka runs in the cluster topology only: in single it has no member, so nothing starts', () => {
  assert.deepEqual(backendOf(single, 'kafka').members, []);
  const kafka = backendOf(cluster, 'kafka');
  assert.deepEqual(
    kafka.members.map((m) => [m.name, m.resolvedPorts.map((p) => [p.name, p.port, p.env])]),
    [
      [
        'kafka',
        [
          ['broker', 9092, 'OBSKIT_PORT_KAFKA_BROKER'],
          ['controller', 9094, 'OBSKIT_PORT_KAFKA_CONTROLLER'],
        ],
      ],
    ],
  );
});

test('Kafka renders on loopback: its listeners, its controller voter and its advertised address', () => {
  const kafka = backendOf(cluster, 'kafka');
  const member = kafka.members[0];
  assert.ok(member);
  const dir = join(scratch, 'render-kafka');
  const context = { config: cluster, backend: kafka, member, dir, data: '', bin: '', javaHome: '' };
  const text = readFileSync(join(renderCollector(context, 'kafka'), 'server.properties'), 'utf8');
  assert.match(
    text,
    /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:9092,CONTROLLER:\/\/127\.0\.0\.1:9094$/m,
  );
  assert.match(text, /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:9092$/m);
  assert.match(text, /^controller\.quorum\.voters=1@127\.0\.0\.1:9094$/m);
  assert.match(text, /^log\.retention\.bytes=1073741824$/m);
});

test('Jaeger runs as collector and ingester in the cluster topology, as one process in single', () => {
  const jaeger = backendOf(cluster, 'jaeger');
  assert.deepEqual(
    jaeger.members.map((m) => m.name),
    ['jaeger-1', 'jaeger-2'],
  );
  const [collector, ingester] = jaeger.members;
  assert.ok(collector && ingester);
  assert.deepEqual(
    ingester.resolvedPorts.map((p) => [p.name, p.port, p.env]),
    [
      ['health', 13134, 'OBSKIT_PORT_JAEGER_2_HEALTH'],
      ['metrics', 8889, 'OBSKIT_PORT_JAEGER_2_METRICS'],
    ],
  );
  const files = (m: typeof collector) => jaegerConfigs('/c', jaeger, m).map((f) => basename(f));
  assert.deepEqual(files(collector), ['config.yaml', 'storage-elasticsearch.yaml', 'kafka.yaml']);
  assert.deepEqual(files(ingester), ['ingester.yaml', 'storage-elasticsearch.yaml']);
  const singleJaeger = backendOf(single, 'jaeger');
  assert.deepEqual(
    singleJaeger.members.map((m) => m.name),
    ['jaeger'],
  );
  const singleMember = singleJaeger.members[0];
  assert.ok(singleMember);
  assert.deepEqual(
    jaegerConfigs('/c', singleJaeger, singleMember).map((f) => basename(f)),
    ['config.yaml', 'storage-elasticsearch.yaml'],
  );
});

test('the collector and the ingester name the broker on loopback and their own ports', async () => {
  const jaeger = backendOf(cluster, 'jaeger');
  const [collector, ingester] = jaeger.members;
  assert.ok(collector && ingester);
  assert.equal(await jaegerRole(collector), 'collector');
  assert.equal(await jaegerRole(ingester), 'ingester');
  const plan = launchPlan(cluster, jaeger, undefined, ingester);
  assert.equal(plan.env?.JAEGER_HEALTH_PORT, '13134');
  assert.equal(plan.env?.JAEGER_METRICS_PORT, '8889');
  const conf = join(cluster.runDir, 'jaeger-2', 'config');
  for (const file of ['kafka.yaml', 'ingester.yaml'])
    assert.match(readFileSync(join(conf, file), 'utf8'), /brokers: \["127\.0\.0\.1:9092"\]/);
});

test('OBSKIT_JAEGER_STORAGE=memory is refused in the cluster topology', () => {
  assert.throws(
    () => localStackConfig({ ...envOf('cluster'), OBSKIT_JAEGER_STORAGE: 'memory' }),
    /OBSKIT_JAEGER_STORAGE/,
  );
});

test('the pom names each artifact at its own version', () => {
  const pom = jarsPom(['org.apache.kafka:kafka_2.13:4.1.1', 'org.example:x:2.0']);
  assert.match(
    pom,
    /<groupId>org\.apache\.kafka<\/groupId><artifactId>kafka_2\.13<\/artifactId><version>4\.1\.1<\/version>/,
  );
  assert.match(pom, /<artifactId>x<\/artifactId><version>2\.0<\/version>/);
});

test('stack up in single with Kafka chosen starts nothing and runs none of its hooks', async () => {
  const lines: string[] = [];
  const statuses = await stackUp(single, [backendOf(single, 'kafka')], 5_000, (l) => lines.push(l));
  assert.deepEqual([statuses, lines], [[], []]);
});
