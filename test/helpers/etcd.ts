// etcd for the tests: its v3 API through the JSON gateway on the client port (keys and values
// travel base64), and the etcd the discovery tests use: the stack's at OBSKIT_ETCD_URL, stopped
// and started again through `obskit stack`, or, when none answers, one started here from
// OBSKIT_ETCD_BIN or `etcd` on PATH (its data stays across a stop).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll, stackOnly, urlOf } from './stack';

export const etcdUrl = (process.env.OBSKIT_ETCD_URL || 'http://127.0.0.1:2379').replace(/\/+$/, '');

export interface TestEtcd {
  url: string;
  /** True when this helper started it, false for the stack's. */
  own: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops an own etcd and removes its data; leaves a shared one alone. */
  close(): Promise<void>;
}

export async function etcdHealthy(url = etcdUrl): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return ((await response.json()) as { health?: string }).health === 'true';
  } catch {
    return false;
  }
}

/** The stack's etcd: a test that stops it starts it again, and close makes sure it runs. */
const stacks: TestEtcd = {
  url: etcdUrl,
  own: false,
  stop: async () => stackOnly('down', ['etcd']),
  start: async () => stackOnly('up', ['etcd']),
  close: async () => {
    if (!(await etcdHealthy())) stackOnly('up', ['etcd']);
  },
};

export async function useEtcd(): Promise<TestEtcd> {
  if (await etcdHealthy()) return stacks;
  const { hostname, port } = new URL(etcdUrl);
  const peer = `http://${hostname}:${Number(port) + 1}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'obskit-test-etcd-'));
  const args = [
    ...['--data-dir', dataDir, '--name', 'default'],
    ...['--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl],
    ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
    ...['--initial-cluster', `default=${peer}`],
  ];
  const binary = process.env.OBSKIT_ETCD_BIN || 'etcd';
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    started.on('error', () => {}); // a missing binary shows as no answer below
    child = started;
    await poll(
      'etcd to answer',
      async () => ((await etcdHealthy()) ? true : undefined),
      20_000,
    ).catch((error: Error) => {
      started.kill('SIGKILL');
      throw new Error(
        `${error.message}: no etcd at ${etcdUrl}, and ${binary} did not start one (run the stack's etcd, or set OBSKIT_ETCD_BIN): ${output}`,
      );
    });
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: etcdUrl,
    own: true,
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function call<T>(path: string, body: object): Promise<T> {
  const response = await fetch(urlOf('etcd', `/v3/kv/${path}`, 'client'), {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`etcd ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

export const etcdPut = (key: string, value: string) =>
  call('put', { key: b64(key), value: b64(value) });

export async function etcdGet(key: string): Promise<string | undefined> {
  const answer = await call<{ kvs?: { value: string }[] }>('range', { key: b64(key) });
  const value = answer.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

/** Deletes every key under `prefix`. */
export const etcdDeletePrefix = (prefix: string) => {
  // The range end of a prefix is the prefix with its last byte incremented.
  const end = Buffer.from(prefix);
  end[end.length - 1] = (end[end.length - 1] as number) + 1;
  return call('deleterange', { key: b64(prefix), range_end: end.toString('base64') });
};
