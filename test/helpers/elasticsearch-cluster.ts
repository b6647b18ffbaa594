// A three-node Elasticsearch (and an rsyslog writing to it) of its own for a test: `obskit stack
// … --topology cluster --only elasticsearch,rsyslog` in a run directory and on ports of its own
// (away from the stack's and the cluster's defaults), each node's status and role, the
// cluster's health, a node killed; numbered lines written through the stack's client and
// through rsyslog, and read back.

import { chmodSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { elasticsearchClient } from '../../stack/elasticsearch-client';
import type { BackendStatus } from '../../stack/lifecycle';
import { type CliResult, poll, runCliAsync } from './stack';

export const clusterRunDir = mkdtempSync(join(tmpdir(), 'obskit-es-cluster-'));
// The nodes run as an unprivileged user when the test runs as root: it must reach their folders.
chmodSync(clusterRunDir, 0o755);

/** HTTP and transport port of each node, below Linux's ephemeral range (32768-60999). */
export const nodePorts = [
  [29201, 29301],
  [29202, 29302],
  [29203, 29303],
] as const;

/** rsyslog's syslog port (TCP and UDP). */
export const syslogPort = 25140;

export const clusterEnv: NodeJS.ProcessEnv = {
  OBSKIT_RUN_DIR: clusterRunDir,
  OBSKIT_TOPOLOGY: 'cluster',
  OBSKIT_PORT_RSYSLOG: String(syslogPort),
  ...Object.fromEntries(
    nodePorts.flatMap(([http, transport], index) => {
      const prefix = `OBSKIT_PORT_ELASTICSEARCH${index === 0 ? '' : `_${index + 1}`}`;
      return [
        [`${prefix}_HTTP`, String(http)],
        [`${prefix}_TRANSPORT`, String(transport)],
      ];
    }),
  ),
};

/** The stack's own client, given every node. */
export const clusterClient = (): Client => elasticsearchClient(nodePorts.map(([http]) => http));

/** `obskit stack <verb> --topology cluster --only elasticsearch,rsyslog` on the cluster's own env. */
export const clusterCli = (verb: 'up' | 'down' | 'status', ...more: string[]): Promise<CliResult> =>
  runCliAsync(
    ['stack', verb, '--topology', 'cluster', '--only', 'elasticsearch,rsyslog', ...more],
    clusterEnv,
  );

/** Each node's status as `stack status --json` gives it (exit 1 while one is down). */
export async function nodeStatuses(): Promise<BackendStatus[]> {
  const result = await clusterCli('status', '--json');
  try {
    const statuses = JSON.parse(result.stdout) as BackendStatus[];
    return statuses.filter((s) => s.name.startsWith('elasticsearch-'));
  } catch {
    throw new Error(`stack status --json: ${result.code} ${result.stdout} ${result.stderr}`);
  }
}

/** The elected master as the nodes report it, once exactly one does. */
export const masterOf = (statuses: BackendStatus[]) => {
  const masters = statuses.filter((s) => s.role === 'master');
  return masters.length === 1 ? masters[0] : undefined;
};

/** Waits until the cluster reports `status` with `nodes` nodes; returns the ms it took. */
export async function healthReaches(
  client: Client,
  status: 'green' | 'yellow',
  nodes: number,
  deadlineMs = 120_000,
): Promise<number> {
  const start = Date.now();
  await poll(
    `cluster ${status} with ${nodes} nodes`,
    async () => {
      const health = await client.cluster.health({ timeout: '1s' }, { requestTimeout: 5000 });
      return health.status === status && health.number_of_nodes === nodes ? true : undefined;
    },
    deadlineMs,
  );
  return Date.now() - start;
}

/** SIGKILL to the node's whole process group: its launcher and its server JVM die at once. */
export function killNode(status: BackendStatus): void {
  if (!status.pid) throw new Error(`${status.name} has no pid`);
  process.kill(-status.pid, 'SIGKILL');
}

/** Runs `write(n)` for n = 0, 1, 2, … one after the other, each retried until it succeeds. */
export function numberedWrites(write: (n: number) => Promise<void>, paceMs = 20) {
  const state = { written: 0, failedAttempts: 0, errors: [] as string[] };
  let running = true;
  const done = (async () => {
    while (running) {
      try {
        await write(state.written);
        state.written++;
        await sleep(paceMs);
      } catch (error) {
        state.failedAttempts++;
        state.errors.push(String(error));
        await sleep(200);
      }
    }
  })();
  const stop = async () => {
    running = false;
    await done;
    return state;
  };
  return { state, stop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Document n of `service` through the client, its id its number, as rsyslog's is its line's. */
export const indexLine = (client: Client, index: string, service: string) => async (n: number) => {
  const document = {
    '@timestamp': new Date().toISOString(),
    message: `line ${n}`,
    service: { name: service },
    event: { sequence: n },
  };
  await client.index({ index, id: `${service}-${n}`, document });
};

/** A TCP connection to rsyslog that sends line n of `service` as RFC 5424 with JSON. */
export async function syslogLines(service: string) {
  const socket = connect({ host: '127.0.0.1', port: syslogPort });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const send = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const json = JSON.stringify({ message: `line ${n}`, event: { sequence: n } });
      const line = `<14>1 ${new Date().toISOString()} es-cluster-test ${service} ${process.pid} - - ${json}\n`;
      socket.write(line, (error) => (error ? reject(error) : resolve()));
    });
  const close = () => new Promise<void>((resolve) => socket.end(resolve));
  return { send, close };
}

/** The event.sequence of every document of `service` in `index`, sorted, read in pages. */
export async function storedSequences(
  client: Client,
  index: string,
  service: string,
): Promise<number[]> {
  await client.indices.refresh({ index });
  const numbers: number[] = [];
  let after: (number | string)[] | undefined;
  for (;;) {
    const page = await client.search<{ event: { sequence: number } }>({
      index,
      size: 5000,
      query: { term: { 'service.name': service } },
      sort: [{ 'event.sequence': 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = page.hits.hits;
    if (hits.length === 0) return numbers;
    for (const hit of hits) numbers.push(hit._source?.event.sequence as number);
    after = hits[hits.length - 1]?.sort as (number | string)[];
  }
}
