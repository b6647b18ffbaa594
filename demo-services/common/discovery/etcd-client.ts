// A minimal etcd v3 client over etcd's JSON gateway (/v3/kv, /v3/lease, /v3/watch) with fetch:
// no gRPC stack of its own, and fetch (undici) is not instrumented by the preload, so calls to
// etcd never show up in the demo's traces or its RPC metrics. Given a cluster's endpoints, a
// call goes on to the next one when a member refuses or times out (failover.ts).

import { endpointPool } from './failover';

export interface KeyValue {
  key: string;
  value: string;
}

export type WatchEvent = { type: 'put' | 'delete' } & KeyValue;

export interface Listing {
  kvs: KeyValue[];
  /** The store's revision when listed: a watch from revision + 1 misses nothing. */
  revision: number;
}

export interface EtcdClient {
  /** Its endpoints, comma-separated. */
  readonly url: string;
  put(key: string, value: string, lease?: string): Promise<void>;
  list(prefix: string): Promise<Listing>;
  /** A lease of `ttlSeconds`, by its ID. */
  grant(ttlSeconds: number): Promise<string>;
  /** The lease's TTL left after renewal; 0 when etcd no longer has it. */
  keepAlive(lease: string): Promise<number>;
  revoke(lease: string): Promise<void>;
  /** Calls `onEvents` per batch from `fromRevision` on; resolves when the stream ends. */
  watch(
    prefix: string,
    fromRevision: number,
    onEvents: (events: WatchEvent[]) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

const requestTimeoutMs = 2000;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString();

/** The key just past every key that starts with `prefix`: etcd's range_end for a prefix. */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix);
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes.readUInt8(i);
    if (byte < 0xff) {
      const end = bytes.subarray(0, i + 1);
      end.writeUInt8(byte + 1, i);
      return end.toString('base64');
    }
  }
  return b64('\0');
}

interface RawKv {
  key?: string;
  value?: string;
}
interface RawEvent {
  type?: 'PUT' | 'DELETE';
  kv?: RawKv;
}
interface RawWatchMessage {
  result?: { events?: RawEvent[]; canceled?: boolean; cancel_reason?: string };
  error?: { message?: string };
}

const kvOf = (raw: RawKv | undefined): KeyValue => ({
  key: unb64(raw?.key),
  value: unb64(raw?.value),
});

/** A watch message's events; protobuf's JSON leaves PUT, the zero value, out. */
export function eventsOf(message: RawWatchMessage): WatchEvent[] {
  return (message.result?.events ?? []).map((e) => ({
    type: e.type === 'DELETE' ? 'delete' : 'put',
    ...kvOf(e.kv),
  }));
}

/** A client of the etcd at `urls`: one URL, or a cluster's as a list or comma-separated. */
export function etcdClient(urls: string | readonly string[]): EtcdClient {
  const pool = endpointPool(urls);
  const post = async (url: string, path: string, body: object) => {
    const response = await fetch(`${url}/v3/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    return { ok: response.ok, status: response.status, text: await response.text() };
  };
  const call = async <T>(path: string, body: object): Promise<T> => {
    const { ok, status, text } = await pool.tryEach((url) => post(url, path, body));
    if (!ok) throw new Error(`etcd ${path} answered ${status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    url: pool.label,
    put: async (key, value, lease) => {
      await call('kv/put', { key: b64(key), value: b64(value), ...(lease ? { lease } : {}) });
    },
    list: async (prefix) => {
      const answer = await call<{ header?: { revision?: string }; kvs?: RawKv[] }>('kv/range', {
        key: b64(prefix),
        range_end: prefixEnd(prefix),
      });
      return { kvs: (answer.kvs ?? []).map(kvOf), revision: Number(answer.header?.revision ?? 0) };
    },
    grant: async (ttlSeconds) =>
      (await call<{ ID: string }>('lease/grant', { TTL: ttlSeconds })).ID,
    keepAlive: async (lease) =>
      Number(
        (await call<{ result?: { TTL?: string } }>('lease/keepalive', { ID: lease })).result?.TTL ??
          0,
      ),
    revoke: async (lease) => {
      await call('lease/revoke', { ID: lease });
    },
    // On the endpoint that answered last; the caller's retry lists again first, which fails over.
    watch: (prefix, fromRevision, onEvents, signal) =>
      watchStream(pool.current(), prefix, fromRevision, onEvents, signal),
  };
}

async function watchStream(
  url: string,
  prefix: string,
  fromRevision: number,
  onEvents: (events: WatchEvent[]) => void,
  signal: AbortSignal,
): Promise<void> {
  const createRequest = {
    key: b64(prefix),
    range_end: prefixEnd(prefix),
    start_revision: fromRevision,
  };
  const response = await fetch(`${url}/v3/watch`, {
    method: 'POST',
    body: JSON.stringify({ create_request: createRequest }),
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`etcd watch answered ${response.status}`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    // The gateway writes one JSON message per line.
    let end = pending.indexOf('\n');
    while (end >= 0) {
      const message = JSON.parse(pending.slice(0, end)) as RawWatchMessage;
      pending = pending.slice(end + 1);
      if (message.error) throw new Error(`etcd watch failed: ${message.error.message}`);
      if (message.result?.canceled)
        throw new Error(`etcd canceled the watch: ${message.result.cancel_reason ?? 'no reason'}`);
      const events = eventsOf(message);
      if (events.length > 0) onEvents(events);
      end = pending.indexOf('\n');
    }
  }
}
