// compose/cluster.yml's Kafka and Jaeger's two members held to the local cluster topology
// (stack/backends/kafka.ts, jaeger.ts): one Kafka node whose settings are
// collectors/kafka/server.properties as the apache/kafka image's KAFKA_* variables, the topic
// created by a one-shot with the local stack's arguments, jaeger-1 (the collector) and jaeger-2
// (the ingester) each on the config files of its local member, both waiting for Kafka and the
// topic, and the broker the two files name a service that serves it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { backends } from '../../stack/backends';
import { jaegerConfigs } from '../../stack/backends/jaeger';
import { createTopicArgs, kafkaHeap, spansTopic } from '../../stack/backends/kafka';
import { resolveStackConfig } from '../../stack/config';
import type { Backend, Member } from '../../stack/types';
import { clusterProject, repoPath, service, whyNotServed } from './model';

const local = resolveStackConfig(backends, { OBSKIT_TOPOLOGY: 'cluster' });
const backend = (name: string) => local.backends.find((b) => b.name === name) as Backend;
const pair = clusterProject();
const of = (name: string) => service(name, pair);
const kafka = backend('kafka');
const jaeger = backend('jaeger');
const defaultPort = (b: Backend, name: string) =>
  b.resolvedPorts.find((p) => p.name === name)?.defaultPort as number;
/** The compose service of a member: the first keeps its backend's service name. */
const serviceOf = (b: Backend, m: Member) => (m === b.members[0] ? b.host : m.name);

/** The image's variable for a property: . is _, _ is __, - is ___, prefixed KAFKA_ (its README). */
const variableOf = (key: string) =>
  `KAFKA_${key.replace(/[._-]/g, (c) => ({ '.': '_', _: '__', '-': '___' })[c] as string).toUpperCase()}`;

/** collectors/kafka/server.properties: key=value lines, comments aside. */
const properties = readFileSync(repoPath('collectors/kafka/server.properties'), 'utf8')
  .split('\n')
  .filter((line) => /^[a-z]/.test(line))
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);

test('Kafka is one node, as locally, its settings those of server.properties as KAFKA_* variables', () => {
  assert.deepEqual(
    kafka.members.map((m) => m.name),
    ['kafka'],
  );
  const env = of('kafka').environment ?? {};
  // The image's variables that are no property: the JVM's.
  const jvm = ['KAFKA_HEAP_OPTS'];
  const settings = Object.keys(env).filter((k) => k.startsWith('KAFKA_') && !jvm.includes(k));
  assert.deepEqual(settings.sort(), properties.map(([key]) => variableOf(key as string)).sort());
  for (const [key, value] of properties) assert.equal(env[variableOf(key as string)], value, key);
  assert.equal(env.KAFKA_LOG_RETENTION_BYTES, String(1024 ** 3));
  assert.equal(env.KAFKA_HEAP_OPTS, kafkaHeap.join(' '));
  for (const p of kafka.resolvedPorts)
    assert.equal(whyNotServed('kafka', p.defaultPort, pair), undefined, p.name);
  const data = of('kafka').volumes?.find((v) => v.target === env.KAFKA_LOG_DIRS);
  assert.deepEqual([data?.type, data?.source], ['volume', 'kafka-data']);
  const check = of('kafka').healthcheck?.test ?? [];
  assert.deepEqual(check.slice(1), [
    '/opt/kafka/bin/kafka-broker-api-versions.sh',
    '--bootstrap-server',
    `127.0.0.1:${defaultPort(kafka, 'broker')}`,
  ]);
});

test('the one-shot creates the topic with the local stack’s arguments, once Kafka is healthy', () => {
  const setup = of('kafka-setup');
  assert.deepEqual(setup.command, [
    '/opt/kafka/bin/kafka-topics.sh',
    ...createTopicArgs(`kafka:${defaultPort(kafka, 'broker')}`),
  ]);
  assert.equal(setup.image, of('kafka').image);
  assert.equal(setup.depends_on?.kafka?.condition, 'service_healthy');
  assert.equal(setup.restart, 'no');
});

test("Jaeger's collector and ingester run on their local member's files, after Kafka's topic", () => {
  assert.deepEqual(
    jaeger.members.map((m) => m.name),
    ['jaeger-1', 'jaeger-2'],
  );
  for (const m of jaeger.members) {
    const s = of(serviceOf(jaeger, m));
    const files = jaegerConfigs('/etc/jaeger', jaeger, m);
    assert.deepEqual(
      s.command,
      files.flatMap((file) => ['--config', file]),
      m.name,
    );
    const targets = (s.volumes ?? []).map((v) => v.target);
    for (const file of files) assert.ok(targets.includes(file), `${m.name} mounts ${file}`);
    assert.equal(s.image, of('jaeger').image);
    assert.equal(s.depends_on?.kafka?.condition, 'service_healthy', m.name);
    assert.equal(s.depends_on?.['kafka-setup']?.condition, 'service_completed_successfully');
  }
});

test('the ingester serves its health and metrics on Jaeger’s own ports, its health checked there', () => {
  const ingester = of('jaeger-2');
  const env = ingester.environment ?? {};
  assert.equal(env.JAEGER_HEALTH_PORT, String(defaultPort(jaeger, 'health')));
  assert.equal(env.JAEGER_METRICS_PORT, String(defaultPort(jaeger, 'metrics')));
  assert.match(
    (ingester.healthcheck?.test ?? []).join(' '),
    new RegExp(`http://127\\.0\\.0\\.1:${env.JAEGER_HEALTH_PORT}/status`),
  );
  // Its store as the collector's: every node, one replica, the writer user.
  for (const key of ['JAEGER_ELASTICSEARCH_USER', 'JAEGER_ELASTICSEARCH_REPLICAS'])
    assert.equal(env[key], of('jaeger').environment?.[key], key);
});

test('the broker kafka.yaml and ingester.yaml name is the one compose serves, on the topic', () => {
  const read = (file: string) => parse(readFileSync(repoPath('collectors/jaeger', file), 'utf8'));
  const exporter = read('kafka.yaml').exporters.kafka;
  const receiver = read('ingester.yaml').receivers.kafka;
  for (const side of [exporter, receiver]) {
    assert.equal(side.traces.topic, spansTopic);
    assert.deepEqual(side.brokers, [`kafka:${defaultPort(kafka, 'broker')}`]);
    for (const broker of side.brokers as string[]) {
      const [host, port] = broker.split(':');
      assert.equal(whyNotServed(host as string, Number(port), pair), undefined, broker);
    }
  }
});
