// The scripts compose runs in the obskit image, run here by node as the image runs them:
// the Elasticsearch setup against a stand-in that answers as Elasticsearch does (no local
// Elasticsearch has security), the etcd setup against a stand-in of etcd's JSON gateway (the
// stack's etcd is shared), and the healthcheck against real sockets.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { repoPath, repoRoot } from './model';

interface Call {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [repoPath('compose/obskit', script), ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

// Answers the setup's requests as Elasticsearch 8 does, records them, and refuses other users.
const calls: Call[] = [];
const elasticPassword = 'pw-elastic-0';
const elasticAuth = `Basic ${Buffer.from(`elastic:${elasticPassword}`).toString('base64')}`;
const expired = 'obskit-logs-2000.01.01';
// Jaeger's daily indices (storage-elasticsearch.yaml): two past the retention, one not.
const expiredTraces = ['obskit-jaeger-span-2000.01.01', 'obskit-jaeger-service-2000.01.01'];
const indices: Record<string, string[]> = {
  'obskit-logs-': [expired, 'obskit-logs-2999.01.01'],
  'obskit-jaeger-': [...expiredTraces, 'obskit-jaeger-span-2999.01.01'],
};
let elasticsearch: Server;

/** The indices `GET /_cat/indices/<pattern>` lists, by the pattern's prefix. */
function catIndices(path: string) {
  const pattern = decodeURIComponent(path.slice('/_cat/indices/'.length).split('?')[0] ?? '');
  const names = Object.entries(indices).find(([prefix]) => pattern === `${prefix}*`)?.[1] ?? [];
  return JSON.stringify(names.map((index) => ({ index })));
}

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  const path = req.url ?? '';
  calls.push({
    method: req.method ?? '',
    path,
    authorization: req.headers.authorization,
    body: body ? JSON.parse(body) : undefined,
  });
  res.setHeader('x-elastic-product', 'Elasticsearch');
  res.setHeader('content-type', 'application/json');
  if (req.headers.authorization !== elasticAuth) return res.writeHead(401).end('{}');
  if (path.startsWith('/_cat/indices')) return res.end(catIndices(path));
  res.end('{"acknowledged":true}');
}

before(async () => {
  elasticsearch = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => answer(req, res, body));
  });
});
after(() => elasticsearch.close());

const key = (name: string) => `${name}-`.padEnd(40, 'k');
const setupEnv = () => ({
  ELASTICSEARCH_URL: `http://127.0.0.1:${portOf(elasticsearch)}`,
  ELASTIC_PASSWORD: elasticPassword,
  KIBANA_SYSTEM_PASSWORD: 'pw-kibana',
  FLUENTD_ELASTICSEARCH_USER: 'obskit_fluentd',
  FLUENTD_ELASTICSEARCH_PASSWORD: 'pw-fluentd',
  GRAFANA_ELASTICSEARCH_USER: 'obskit_grafana',
  GRAFANA_ELASTICSEARCH_PASSWORD: 'pw-grafana',
  JAEGER_ELASTICSEARCH_USER: 'obskit_jaeger',
  JAEGER_ELASTICSEARCH_PASSWORD: 'pw-jaeger',
  MONITOR_ELASTICSEARCH_USER: 'obskit_monitor',
  MONITOR_ELASTICSEARCH_PASSWORD: 'pw-monitor',
  GRAFANA_ADMIN_PASSWORD: 'pw-grafana-admin',
  KIBANA_SECURITY_ENCRYPTION_KEY: key('security'),
  KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY: key('saved-objects'),
  KIBANA_REPORTING_ENCRYPTION_KEY: key('reporting'),
  OBSKIT_LOG_RETENTION_DAYS: '7',
});

test('the Elasticsearch setup: passwords, users, the template, log and trace retention, as elastic', async () => {
  calls.length = 0;
  const result = await runScript('elasticsearch-setup.js', [], setupEnv());
  assert.equal(result.code, 0, result.stderr);
  assert.ok(calls.every((c) => c.authorization === elasticAuth));
  const template = JSON.parse(
    readFileSync(repoPath('collectors/elasticsearch/logs-template.json'), 'utf8'),
  );
  const writes = calls.filter((c) => c.method !== 'GET').map((c) => [c.path, c.body]);
  const indices = (privileges: string[]) => [{ names: ['obskit-logs-*'], privileges }];
  assert.deepEqual(writes, [
    ['/_security/user/kibana_system/_password', { password: 'pw-kibana' }],
    [
      '/_security/role/obskit_logs_writer',
      { cluster: ['monitor'], indices: indices(['create_index', 'index']) },
    ],
    [
      '/_security/role/obskit_logs_reader',
      { cluster: ['monitor'], indices: indices(['read', 'view_index_metadata']) },
    ],
    [
      '/_security/role/obskit_traces',
      {
        cluster: ['monitor', 'manage_index_templates'],
        indices: [
          {
            names: ['obskit-jaeger-*'],
            privileges: ['create_index', 'index', 'read', 'view_index_metadata'],
          },
        ],
      },
    ],
    ['/_security/role/obskit_monitor', { cluster: ['monitor'] }],
    // The client repeats the name in the body, which Elasticsearch checks against the path.
    [
      '/_security/user/obskit_fluentd',
      { username: 'obskit_fluentd', password: 'pw-fluentd', roles: ['obskit_logs_writer'] },
    ],
    [
      '/_security/user/obskit_grafana',
      { username: 'obskit_grafana', password: 'pw-grafana', roles: ['obskit_logs_reader'] },
    ],
    [
      '/_security/user/obskit_jaeger',
      { username: 'obskit_jaeger', password: 'pw-jaeger', roles: ['obskit_traces'] },
    ],
    [
      '/_security/user/obskit_monitor',
      { username: 'obskit_monitor', password: 'pw-monitor', roles: ['obskit_monitor'] },
    ],
    ['/_index_template/obskit-logs', template],
    [`/${expired}`, undefined],
    [`/${expiredTraces.map(encodeURIComponent).join('%2C')}`, undefined],
  ]);
  assert.match(result.stdout, /✓ retention: 7 days\n {2}deleted obskit-logs-2000\.01\.01\n/);
  assert.match(
    result.stdout,
    /✓ trace retention: 7 days\n {2}deleted obskit-jaeger-span-2000\.01\.01, obskit-jaeger-service-2000\.01\.01\n$/,
  );
});

test("the cluster's setup (compose/cluster.yml): every node, one refusing, and the template with one replica", async () => {
  calls.length = 0;
  const closed = await listen(() => undefined);
  const refusing = `http://127.0.0.1:${portOf(closed)}`;
  await new Promise((resolve) => closed.close(resolve));
  const node = `http://127.0.0.1:${portOf(elasticsearch)}`;
  const result = await runScript('elasticsearch-setup.js', [], {
    ...setupEnv(),
    ELASTICSEARCH_URL: [refusing, node, node].join(','),
  });
  assert.equal(result.code, 0, result.stderr);
  const puts = calls.filter((c) => c.path === '/_index_template/obskit-logs');
  assert.equal(puts.length, 1);
  const body = puts[0]?.body as { template: { settings: Record<string, unknown> } } | undefined;
  assert.equal(body?.template.settings.number_of_replicas, 1);
});

test('the setup names a missing variable before any request', async () => {
  calls.length = 0;
  const { GRAFANA_ELASTICSEARCH_PASSWORD: _, ...env } = setupEnv();
  const result = await runScript('elasticsearch-setup.js', [], env);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'elasticsearch-setup: GRAFANA_ELASTICSEARCH_PASSWORD is not set\n');
  assert.equal(calls.length, 0);
});

test('the setup stops at the first refusal, naming the step', async () => {
  const result = await runScript('elasticsearch-setup.js', [], {
    ...setupEnv(),
    ELASTIC_PASSWORD: 'wrong-password',
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^elasticsearch-setup: kibana_system password: .+\n$/);
});

// What the example once held, and the defaults everyone knows: refused before any request.
for (const [name, value] of [
  ['ELASTIC_PASSWORD', 'change-me-elastic'],
  ['GRAFANA_ADMIN_PASSWORD', 'change-me-grafana-admin'],
  ['KIBANA_SYSTEM_PASSWORD', 'changeme'],
  ['GRAFANA_ADMIN_PASSWORD', 'admin'],
  ['KIBANA_REPORTING_ENCRYPTION_KEY', 'CHANGE-ME-'.padEnd(40, 'x')],
] as const) {
  test(`the setup refuses ${name}=${value} with one line, before any request`, async () => {
    calls.length = 0;
    const result = await runScript('elasticsearch-setup.js', [], { ...setupEnv(), [name]: value });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `elasticsearch-setup: ${name} is an example value; set a secret of your own in compose/.env\n`,
    );
    assert.equal(calls.length, 0);
  });
}

test('the setup refuses what Elasticsearch and Kibana would: a short password, a short key', async () => {
  calls.length = 0;
  const cases = [
    ['FLUENTD_ELASTICSEARCH_PASSWORD', 'abcde', 'is 5 characters; a password needs at least 6'],
    [
      'KIBANA_SECURITY_ENCRYPTION_KEY',
      'k'.repeat(31),
      'is 31 characters; an encryption key needs at least 32',
    ],
  ];
  for (const [name, value, reason] of cases) {
    const result = await runScript('elasticsearch-setup.js', [], {
      ...setupEnv(),
      [name as string]: value,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `elasticsearch-setup: ${name} ${reason}\n`);
  }
  assert.equal(calls.length, 0);
});

test('the healthcheck: an HTTP 2xx or an accepted connection is healthy, anything else not', async () => {
  const server = await listen((req, res) => res.writeHead(req.url === '/health' ? 200 : 503).end());
  const port = portOf(server);
  try {
    const code = async (target: string) => (await runScript('healthcheck.js', [target], {})).code;
    assert.equal(await code(`http://127.0.0.1:${port}/health`), 0);
    assert.equal(await code(`http://127.0.0.1:${port}/other`), 1);
    assert.equal(await code(`tcp://127.0.0.1:${port}`), 0);
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await code(`tcp://127.0.0.1:${port}`), 1);
    assert.equal(await code(`http://127.0.0.1:${port}/health`), 1);
  } finally {
    server.close();
  }
});
