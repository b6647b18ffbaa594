// The CLI's answers to bad input: one line, a non-zero exit, no stack trace.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from '../helpers/stack';

const cases: { args: string[]; env?: NodeJS.ProcessEnv; code: number; stderr: string }[] = [
  {
    args: [],
    code: 2,
    stderr: "obskit: no command given (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['fly'],
    code: 2,
    stderr: "obskit: unknown command 'fly' (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['stack', 'launch'],
    code: 2,
    stderr:
      "obskit: unknown stack action 'launch' (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['dashboards'],
    code: 2,
    stderr:
      "obskit: dashboards needs an action: generate, check or import (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['dashboards', 'import'],
    code: 2,
    stderr:
      "obskit: 'dashboards import' needs --kibana <Kibana's URL> (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['dashboards', 'import', '--kibana', 'kibana:5601'],
    code: 2,
    stderr:
      "obskit: --kibana needs an http(s) URL such as http://localhost:5601 (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['dashboards', 'import', '--kibana', 'http://localhost:5601', '--user', 'elastic'],
    env: { OBSKIT_KIBANA_PASSWORD: '' },
    code: 2,
    stderr:
      "obskit: a Kibana user needs its password: --password or OBSKIT_KIBANA_PASSWORD (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['dashboards', 'draw'],
    code: 2,
    stderr:
      "obskit: unknown dashboards action 'draw' (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['stack', 'status', '--colour'],
    code: 2,
    stderr: "obskit: unknown option '--colour' (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['stack', 'up', '--only'],
    code: 2,
    stderr:
      "obskit: option '--only' needs a value (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['stack', 'status', '--only', 'mysql'],
    code: 1,
    stderr:
      "obskit: unknown backend 'mysql'; choose from: jaeger, prometheus, alertmanager, elasticsearch, elasticsearch-exporter, kafka, rsyslog, otelcol, redis, ferretdb, etcd, traefik [OBSKIT_E_UNKNOWN_BACKEND]\n",
  },
  {
    args: ['stack', 'status'],
    env: { OBSKIT_PORT_REDIS: 'six' },
    code: 1,
    stderr:
      'obskit: OBSKIT_PORT_REDIS="six" is not a port number from 1 to 65535; unset it or fix its value [OBSKIT_E_BAD_ENV]\n',
  },
  {
    args: ['stack', 'up', '--timeout', 'soon'],
    code: 2,
    stderr: `obskit: --timeout "soon" is not a positive number of seconds (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n`,
  },
  {
    args: ['logs', 'prune', '--keep-days', 'week'],
    code: 2,
    stderr: `obskit: --keep-days needs a whole number of days, not 'week' (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n`,
  },
  {
    args: ['logs', 'prune'],
    env: { OBSKIT_LOG_RETENTION_DAYS: '-1' },
    code: 1,
    stderr:
      'obskit: OBSKIT_LOG_RETENTION_DAYS="-1" is not a whole number of days; unset it or fix its value [OBSKIT_E_BAD_ENV]\n',
  },
  {
    args: ['logs', 'prune'],
    env: { OBSKIT_PORT_ELASTICSEARCH_HTTP: '9' },
    code: 1,
    stderr:
      "obskit: Elasticsearch at http://127.0.0.1:9/ did not answer (connect ECONNREFUSED 127.0.0.1:9); start it with 'obskit stack up --only elasticsearch' [OBSKIT_E_ES_UNREACHABLE]\n",
  },
  {
    args: ['trace'],
    code: 2,
    stderr: "obskit: missing the trace ID (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['trace', '4bf92f3577b34da6a3ce929d0e0e47'],
    code: 1,
    stderr:
      "obskit: '4bf92f3577b34da6a3ce929d0e0e47' is not a trace ID; give the 32 hexadecimal characters of a log line's trace.id or a traceparent header [OBSKIT_E_BAD_TRACE_ID]\n",
  },
  {
    args: ['trace', '4bf92f3577b34da6a3ce929d0e0e4736'],
    env: { OBSKIT_PORT_JAEGER_QUERY: '2' },
    code: 1,
    stderr:
      "obskit: Jaeger at http://127.0.0.1:2 did not answer (connect ECONNREFUSED 127.0.0.1:2); start it with 'obskit stack up --only jaeger' [OBSKIT_E_JAEGER_UNREACHABLE]\n",
  },
  {
    args: ['logs', 'search', '--topology', 'three'],
    code: 2,
    stderr: `obskit: --topology "three" is not single or cluster (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n`,
  },
  {
    args: ['trace', '4bf92f3577b34da6a3ce929d0e0e4736', '--topology', 'three'],
    code: 2,
    stderr: `obskit: --topology "three" is not single or cluster (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n`,
  },
  {
    // Taken as the stack's commands take it: Jaeger, one process in both topologies, is asked.
    args: ['trace', '4bf92f3577b34da6a3ce929d0e0e4736', '--topology', 'cluster'],
    env: { OBSKIT_PORT_JAEGER_QUERY: '2' },
    code: 1,
    stderr:
      "obskit: Jaeger at http://127.0.0.1:2 did not answer (connect ECONNREFUSED 127.0.0.1:2); start it with 'obskit stack up --only jaeger' [OBSKIT_E_JAEGER_UNREACHABLE]\n",
  },
  {
    args: ['demo', '--rate', 'fast'],
    code: 2,
    stderr:
      "obskit: --rate fast is not a number from 0.1 to 2000 (run 'obskit --help' for usage) [OBSKIT_E_USAGE]\n",
  },
  {
    args: ['demo'],
    env: { OBSKIT_PORT_GATEWAY: '80800' },
    code: 1,
    stderr:
      'obskit: OBSKIT_PORT_GATEWAY="80800" is not a port number from 1 to 65535; unset it or fix its value [OBSKIT_E_BAD_ENV]\n',
  },
];

for (const c of cases) {
  test(`obskit ${c.args.join(' ') || '(nothing)'} → exit ${c.code}, one line`, () => {
    const result = runCli(c.args, c.env);
    assert.equal(result.stderr, c.stderr);
    assert.equal(result.code, c.code);
  });
}

// Without --topology only the single node is asked; with it, every node of the cluster (the
// reason names whichever the client tried last).
const nodePorts = {
  OBSKIT_PORT_ELASTICSEARCH_HTTP: '9',
  OBSKIT_PORT_ELASTICSEARCH_2_HTTP: '10',
  OBSKIT_PORT_ELASTICSEARCH_3_HTTP: '11',
};
for (const [args, nodes] of [
  [['logs', 'prune'], 'http://127.0.0.1:9/'],
  [
    ['logs', 'prune', '--topology', 'cluster'],
    'http://127.0.0.1:9/, http://127.0.0.1:10/, http://127.0.0.1:11/',
  ],
  [
    ['logs', 'search', '--topology', 'cluster'],
    'http://127.0.0.1:9/, http://127.0.0.1:10/, http://127.0.0.1:11/',
  ],
] as const) {
  test(`obskit ${args.join(' ')} asks ${nodes}`, () => {
    const result = runCli([...args], { ...nodePorts, OBSKIT_TOPOLOGY: '' });
    assert.equal(result.code, 1);
    const said =
      /^obskit: Elasticsearch at (.*) did not answer \(connect ECONNREFUSED 127\.0\.0\.1:(9|10|11)\); start it with 'obskit stack up --only elasticsearch' \[OBSKIT_E_ES_UNREACHABLE\]\n$/.exec(
        result.stderr,
      );
    assert.equal(said?.[1], nodes, result.stderr);
  });
}

test('obskit --help prints usage and exits 0', () => {
  const result = runCli(['--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^usage: obskit <command>/);
});

test('obskit demo with a taken port: one line naming the port and its variable, nothing started', async () => {
  const holder = createServer().listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const port = (holder.address() as AddressInfo).port;
  try {
    const result = runCli(['demo'], { OBSKIT_PORT_GATEWAY: String(port) });
    assert.equal(
      result.stderr,
      `obskit: port ${port} for gateway is already in use; stop what listens there or set OBSKIT_PORT_GATEWAY to a free port [OBSKIT_E_PORT_TAKEN]\n`,
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
  } finally {
    holder.close();
  }
});

test('a dependency missing from node_modules: one line naming it, exit 1, and --help still answers', () => {
  // Resolution of 'yaml' fails as it does when npm left the package out.
  const env = { NODE_OPTIONS: `-r ${join(repoRoot, 'test', 'fixtures', 'hide-yaml.cjs')}` };
  const check = runCli(['slo', 'check'], env);
  assert.equal(check.code, 1);
  assert.equal(
    check.stderr,
    "obskit: cannot load 'yaml', which obskit needs: install obskit again with its dependencies (npm install obskit) [OBSKIT_E_MISSING_MODULE]\n",
  );
  assert.equal(runCli(['--help'], env).code, 0);
});
