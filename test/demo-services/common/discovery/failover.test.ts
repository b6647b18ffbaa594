// The demo's etcd client given a cluster's endpoints, against stand-ins on loopback: a call
// that one member refuses (closed port) or lets time out (it never answers) goes on to the
// next; the member that answered is asked first afterwards; an answer, even an error, is final.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { etcdClient } from '../../../../demo-services/common/discovery/etcd-client';
import { memberUrlsOf } from '../../../../demo-services/common/discovery/failover';
import { discoveryFromEnv } from '../../../../demo-services/common/discovery/from-env';
import { SettingError } from '../../../../demo-services/common/settings';

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.closeAllConnections?.();
  for (const server of servers) server.close();
});

/** A loopback server answering with `handle`; counts the requests it got. */
async function standIn(handle: (path: string) => [number, object] | 'reset' | undefined) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    const answer = handle(req.url ?? '');
    if (answer === 'reset') return req.socket.destroy();
    if (!answer) return; // never answers: the client's timeout ends it
    res.writeHead(answer[0], { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer[1]));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

/** A port that refuses: bound for a moment, then closed. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const etcdAnswer = (): [number, object] => [
  200,
  { header: { revision: '7' }, kvs: [{ key: b64('/services/a/1'), value: b64('x') }] },
];

test('a refused member is skipped, and the one that answered is asked first afterwards', async () => {
  const refused = await refusingUrl();
  const reset = await standIn(() => 'reset');
  const live = await standIn(etcdAnswer);
  const client = etcdClient(`${refused},${reset.url},${live.url}`);
  assert.equal(client.url, `${refused},${reset.url},${live.url}`);
  assert.deepEqual((await client.list('/services/a/')).revision, 7);
  await client.put('/services/a/2', 'y');
  await client.keepAlive('1');
  assert.deepEqual(reset.hits, ['/v3/kv/range']);
  assert.deepEqual(live.hits, ['/v3/kv/range', '/v3/kv/put', '/v3/lease/keepalive']);
});

test('a member that does not answer within the timeout is left for the next', async () => {
  const silent = await standIn(() => undefined);
  const live = await standIn(etcdAnswer);
  const started = Date.now();
  const listing = await etcdClient([silent.url, live.url]).list('/services/a/');
  assert.deepEqual(listing.kvs, [{ key: '/services/a/1', value: 'x' }]);
  assert.deepEqual([silent.hits.length, live.hits.length], [1, 1]);
  // One request timeout (2 s), not more.
  assert.ok(Date.now() - started < 3500, `took ${Date.now() - started} ms`);
});

test('an answer is final: an error status is not retried on another member', async () => {
  const failing = await standIn(() => [500, { error: 'etcdserver: request timed out' }]);
  const live = await standIn(etcdAnswer);
  await assert.rejects(
    etcdClient([failing.url, live.url]).put('k', 'v'),
    /etcd kv\/put answered 500/,
  );
  assert.deepEqual(live.hits, []);
});

test('when no member answers, the call fails with the last one’s error', async () => {
  const client = etcdClient([await refusingUrl(), await refusingUrl()]);
  await assert.rejects(client.grant(5), TypeError);
});

test('OBSKIT_ETCD_URL takes a comma-separated list; a bad member is refused in one line', () => {
  assert.deepEqual(memberUrlsOf(' http://a:1/, http://b:2 ,'), ['http://a:1', 'http://b:2']);
  const env = (url: string) => ({ DISCOVERY: 'etcd', OBSKIT_ETCD_URL: url });
  const saved = { ...process.env };
  try {
    Object.assign(process.env, env('http://a:1,http://b:2'));
    assert.equal(discoveryFromEnv()?.url, 'http://a:1,http://b:2');
    Object.assign(process.env, env('http://a:1,b:2'));
    assert.throws(
      () => discoveryFromEnv(),
      (error: Error) =>
        error instanceof SettingError &&
        error.message.startsWith('OBSKIT_ETCD_URL="http://a:1,b:2"'),
    );
  } finally {
    process.env = saved;
  }
});
