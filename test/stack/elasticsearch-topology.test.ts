// Elasticsearch in the cluster topology as resolved and rendered, nothing started: three nodes
// (names, ports, variables, discovery settings, heap), the logs template's and Jaeger's replicas,
// every client given all nodes (rsyslog, Jaeger, the stack's own), the role from _cat/master;
// the single topology as before.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatTable } from '../../cli/stack-command';
import { logsTemplatePath } from '../../common/index-names';
import {
  elasticsearchHealth,
  elasticsearchRole,
  logsTemplateFor,
} from '../../stack/backends/elasticsearch';
import { elasticsearchClient } from '../../stack/elasticsearch-client';
import { launchPlan } from '../../stack/launch';
import { statusesOf } from '../../stack/lifecycle';
import { localStackConfig } from '../../stack/local-stack';
import type { Backend, Member, StackConfig } from '../../stack/types';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-es-topology-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
// launch copies the distribution's config folder beside the rendered elasticsearch.yml.
const distributionConfig = join(scratch, 'home', 'elasticsearch-8.19.9', 'config');
mkdirSync(distributionConfig, { recursive: true });
writeFileSync(join(distributionConfig, 'jvm.options'), '');
const envOf = (topology: string, more: NodeJS.ProcessEnv = {}) => ({
  OBSKIT_HOME: join(scratch, 'home'),
  OBSKIT_RUN_DIR: join(scratch, topology, String(Object.keys(more).length)),
  OBSKIT_TOPOLOGY: topology,
  ...more,
});
const single = localStackConfig(envOf('single'));
const cluster = localStackConfig(envOf('cluster'));
const backendOf = (config: StackConfig, name: string) =>
  config.backends.find((b) => b.name === name) as Backend;
const esOf = (config: StackConfig) => backendOf(config, 'elasticsearch');
const settingsOf = (args: string[]) => args.filter((_, i) => args[i - 1] === '-E');

test('cluster: elasticsearch-1..3 on 9200/9300, 9201/9301, 9202/9302, each port its variable', () => {
  assert.deepEqual(
    esOf(cluster).members.map((m) => [m.name, ...m.resolvedPorts.map((p) => `${p.port} ${p.env}`)]),
    [
      [
        'elasticsearch-1',
        '9200 OBSKIT_PORT_ELASTICSEARCH_HTTP',
        '9300 OBSKIT_PORT_ELASTICSEARCH_TRANSPORT',
      ],
      [
        'elasticsearch-2',
        '9201 OBSKIT_PORT_ELASTICSEARCH_2_HTTP',
        '9301 OBSKIT_PORT_ELASTICSEARCH_2_TRANSPORT',
      ],
      [
        'elasticsearch-3',
        '9202 OBSKIT_PORT_ELASTICSEARCH_3_HTTP',
        '9302 OBSKIT_PORT_ELASTICSEARCH_3_TRANSPORT',
      ],
    ],
  );
});

test('cluster: each node has its name, ports, the seed hosts and the initial masters', () => {
  const moved = localStackConfig(
    envOf('cluster', { OBSKIT_PORT_ELASTICSEARCH_3_TRANSPORT: '19302' }),
  );
  const es = esOf(moved);
  const plans = es.members.map((m) => launchPlan(moved, es, '/jdk', m));
  const second = settingsOf(plans[1]?.args ?? []);
  assert.deepEqual(second, [
    `path.data=${join(moved.runDir, 'elasticsearch-2', 'data')}`,
    `path.logs=${join(moved.runDir, 'elasticsearch-2', 'logs')}`,
    'http.port=9201',
    'transport.port=9301',
    'node.name=elasticsearch-2',
    'discovery.type=multi-node',
    'discovery.seed_hosts=127.0.0.1:9300,127.0.0.1:9301,127.0.0.1:19302',
    'cluster.initial_master_nodes=elasticsearch-1,elasticsearch-2,elasticsearch-3',
  ]);
  assert.deepEqual(
    plans.map((p) => [p.env?.ES_PATH_CONF, p.env?.ES_JAVA_OPTS]),
    ['elasticsearch-1', 'elasticsearch-2', 'elasticsearch-3'].map((name) => [
      join(moved.runDir, name, 'config'),
      '-Xms256m -Xmx256m',
    ]),
  );
  const heap = localStackConfig(envOf('cluster', { OBSKIT_ES_JAVA_OPTS: '-Xms300m -Xmx300m' }));
  assert.equal(launchPlan(heap, esOf(heap), '/jdk').env?.ES_JAVA_OPTS, '-Xms300m -Xmx300m');
});

test('single: one node with the settings and the heap it always had', () => {
  const plan = launchPlan(single, esOf(single), '/jdk');
  assert.deepEqual(settingsOf(plan.args), [
    `path.data=${join(single.runDir, 'elasticsearch', 'data')}`,
    `path.logs=${join(single.runDir, 'elasticsearch', 'logs')}`,
    'http.port=9200',
    'transport.port=9300',
  ]);
  assert.equal(plan.env?.ES_JAVA_OPTS, '-Xms512m -Xmx512m');
});

test("the logs template: one replica in the cluster, none on one node, the file's the rest", () => {
  const text = readFileSync(logsTemplatePath(cluster.packageRoot), 'utf8');
  const file = JSON.parse(text);
  const replicas = (config: StackConfig) =>
    logsTemplateFor(text, esOf(config)).template.settings.number_of_replicas;
  assert.equal(replicas(cluster), 1);
  assert.equal(replicas(single), 0);
  const { number_of_replicas: _, ...rest } = logsTemplateFor(text, esOf(cluster)).template.settings;
  const { number_of_replicas: __, ...fileRest } = file.template.settings;
  assert.deepEqual(rest, fileRest);
});

/** A rendered file of a member's run directory (the backend's only one, or `memberName`), and its launch plan. */
function rendered(config: StackConfig, name: string, file: string, memberName = name) {
  const backend = backendOf(config, name);
  const member = backend.members.find((m) => m.name === memberName);
  const plan = launchPlan(config, backend, undefined, member);
  return { plan, text: readFileSync(join(config.runDir, memberName, 'config', file), 'utf8') };
}

test('cluster: rsyslog and Jaeger write to every node; Jaeger gives its indices one replica', () => {
  const rsyslog = rendered(cluster, 'rsyslog', 'rsyslog.conf').text;
  assert.match(
    rsyslog,
    /^ {4}server=\["127\.0\.0\.1:9200", "127\.0\.0\.1:9201", "127\.0\.0\.1:9202"\]$/m,
  );
  // Jaeger's two members there (the collector and query API, the ingester) both hold the store.
  for (const member of ['jaeger-1', 'jaeger-2']) {
    const jaeger = rendered(cluster, 'jaeger', 'storage-elasticsearch.yaml', member);
    assert.match(
      jaeger.text,
      /server_urls: \["http:\/\/127\.0\.0\.1:9200", "http:\/\/127\.0\.0\.1:9201", "http:\/\/127\.0\.0\.1:9202"\]/,
    );
    assert.match(jaeger.text, /replicas: \$\{env:JAEGER_ELASTICSEARCH_REPLICAS:-0\}/);
    assert.equal(jaeger.plan.env?.JAEGER_ELASTICSEARCH_REPLICAS, '1', member);
  }
});

test('single: rsyslog and Jaeger keep the one node, and Jaeger no replica', () => {
  assert.match(rendered(single, 'rsyslog', 'rsyslog.conf').text, /server=\["127\.0\.0\.1:9200"\]/);
  const jaeger = rendered(single, 'jaeger', 'storage-elasticsearch.yaml');
  assert.match(jaeger.text, /server_urls: \["http:\/\/127\.0\.0\.1:9200"\]/);
  assert.equal(jaeger.plan.env?.JAEGER_ELASTICSEARCH_REPLICAS, '0');
});

test("the stack's client knows every node it is given", async () => {
  const client = elasticsearchClient([9200, 9201, 9202]);
  const urls = client.connectionPool.connections.map((c) => c.url.href);
  assert.deepEqual(urls, [
    'http://127.0.0.1:9200/',
    'http://127.0.0.1:9201/',
    'http://127.0.0.1:9202/',
  ]);
  await client.close();
});

/** A loopback stand-in answering every path with `body`, and a member on its port. */
async function standIn(body: string, status = 200): Promise<{ member: Member; close(): void }> {
  const server = createServer((_, res) => res.writeHead(status).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const resolvedPorts = [
    { name: 'http', port, defaultPort: 9201, protocol: 'tcp' as const, env: '' },
  ];
  return { member: { name: 'elasticsearch-2', resolvedPorts }, close: () => server.close() };
}

test('role: master for the node _cat/master names, data for the others', async () => {
  const cases: [string, number, string | undefined][] = [
    ['[{"id":"x","node":"elasticsearch-2"}]', 200, 'master'],
    ['[{"id":"y","node":"elasticsearch-1"}]', 200, 'data'],
    ['[{"id":"-","node":"-"}]', 200, 'no master'],
    ['{"error":"master_not_discovered_exception"}', 503, 'no master'],
    ['nonsense', 200, undefined],
  ];
  for (const [body, status, role] of cases) {
    const node = await standIn(body, status);
    try {
      assert.equal(await elasticsearchRole(node.member), role, body);
    } finally {
      node.close();
    }
  }
});

test("cluster health: the node's own view of the colour, undefined when it does not say", async () => {
  for (const [body, colour] of [
    ['{"cluster_name":"obskit","status":"yellow"}', 'yellow'],
    ['nonsense', undefined],
  ] as const) {
    const node = await standIn(body);
    try {
      assert.equal(await elasticsearchHealth(node.member), colour);
    } finally {
      node.close();
    }
  }
});

test('status: a line per node with ROLE and CLUSTER columns; single keeps its columns', async () => {
  // Nothing runs in these run directories: no pid, so no probe, role or health is asked.
  const nodes = await statusesOf(cluster, [esOf(cluster)]);
  assert.deepEqual(
    nodes.map((s) => [s.name, s.port, s.role, s.cluster]),
    [
      ['elasticsearch-1', 9200, '-', '-'],
      ['elasticsearch-2', 9201, '-', '-'],
      ['elasticsearch-3', 9202, '-', '-'],
    ],
  );
  assert.match(formatTable(nodes), /^BACKEND +VERSION +PORT +PID +HEALTHY +ROLE +CLUSTER +URL\n/);
  const one = await statusesOf(single, [esOf(single)]);
  assert.deepEqual(
    one.map((s) => [s.name, 'role' in s, 'cluster' in s]),
    [['elasticsearch', false, false]],
  );
  assert.match(formatTable(one), /^BACKEND +VERSION +PORT +PID +HEALTHY +URL\n/);
});
