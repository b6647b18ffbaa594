// etcd from `obskit stack`: a key written through its v3 API reads back, it reports itself
// healthy, and its metrics say it has a leader.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etcdDeletePrefix, etcdGet, etcdPut } from '../helpers/etcd';
import { getJson, uniqueId, urlOf } from '../helpers/stack';

test('a key put into etcd reads back, and is gone once deleted', async () => {
  const key = `obskit-test/${uniqueId('etcd')}`;
  await etcdPut(key, 'hello');
  try {
    assert.equal(await etcdGet(key), 'hello');
  } finally {
    await etcdDeletePrefix(key);
  }
  assert.equal(await etcdGet(key), undefined);
});

test('etcd answers /health with health true', async () => {
  const health = await getJson<{ health: string }>(urlOf('etcd', '/health', 'client'));
  assert.equal(health.health, 'true');
});

test('its /metrics on the client port says it has a leader', async () => {
  const metrics = await (await fetch(urlOf('etcd', '/metrics', 'client'))).text();
  assert.match(metrics, /^etcd_server_has_leader 1$/m);
});
