// A three-member etcd of its own for a test: `obskit stack … --topology cluster --only etcd`
// in a run directory and on ports of its own (away from the stack's 2379/2380 and the cluster's
// defaults), each member's status, role and metrics.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendStatus } from '../../stack/lifecycle';
import { type CliResult, runCliAsync } from './stack';

export const clusterRunDir = mkdtempSync(join(tmpdir(), 'obskit-etcd-cluster-'));

/** Client and peer port of each member, below Linux's ephemeral range (32768-60999). */
export const memberPorts = [
  [23781, 23782],
  [23783, 23784],
  [23785, 23786],
] as const;

export const clusterEnv: NodeJS.ProcessEnv = {
  OBSKIT_RUN_DIR: clusterRunDir,
  OBSKIT_TOPOLOGY: 'cluster',
  OBSKIT_PORT_ETCD_CLIENT: String(memberPorts[0][0]),
  OBSKIT_PORT_ETCD_PEER: String(memberPorts[0][1]),
  OBSKIT_PORT_ETCD_2_CLIENT: String(memberPorts[1][0]),
  OBSKIT_PORT_ETCD_2_PEER: String(memberPorts[1][1]),
  OBSKIT_PORT_ETCD_3_CLIENT: String(memberPorts[2][0]),
  OBSKIT_PORT_ETCD_3_PEER: String(memberPorts[2][1]),
};

export const memberUrls = memberPorts.map(([client]) => `http://127.0.0.1:${client}`);

/** `obskit stack <verb> --topology cluster --only etcd` on the cluster's own env. */
export const clusterCli = (verb: 'up' | 'down' | 'status', ...more: string[]): Promise<CliResult> =>
  runCliAsync(['stack', verb, '--topology', 'cluster', '--only', 'etcd', ...more], clusterEnv);

/** Each member's status as `stack status --json` gives it (exit 1 while one is down). */
export async function memberStatuses(): Promise<BackendStatus[]> {
  const result = await clusterCli('status', '--json');
  try {
    return JSON.parse(result.stdout) as BackendStatus[];
  } catch {
    throw new Error(`stack status --json: ${result.code} ${result.stdout} ${result.stderr}`);
  }
}

/** A gauge of a member's /metrics, undefined when it does not answer. */
export async function memberGauge(url: string, name: string): Promise<number | undefined> {
  try {
    const body = await (
      await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(1000) })
    ).text();
    const line = body.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  } catch {
    return undefined;
  }
}

/** The value of `key` in the member's own store (a serializable read: no leader asked). */
export async function localValue(url: string, key: string): Promise<string | undefined> {
  const response = await fetch(`${url}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from(key).toString('base64'), serializable: true }),
    signal: AbortSignal.timeout(1000),
  });
  const answer = (await response.json()) as { kvs?: { value: string }[] };
  const value = answer.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}
