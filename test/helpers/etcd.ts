// etcd's v3 API through its JSON gateway on the client port: keys and values travel base64.

import { urlOf } from './stack';

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
