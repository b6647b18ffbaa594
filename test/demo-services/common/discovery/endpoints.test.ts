// The address list a resolver hands to the balancer: from a listing, then watch events; the
// etcd JSON gateway's encoding of prefixes and events.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addressesOf,
  applyEvents,
  tableOf,
} from '../../../../demo-services/common/discovery/endpoints';
import { eventsOf, prefixEnd } from '../../../../demo-services/common/discovery/etcd-client';
import { endpointsOf } from '../../../../demo-services/common/discovery/resolver';

const key = (address: string) => `/services/entity-service/${address}`;
const value = (address: string) => JSON.stringify({ address });
const put = (address: string) => ({
  type: 'put' as const,
  key: key(address),
  value: value(address),
});
const del = (address: string) => ({ type: 'delete' as const, key: key(address), value: '' });

test('a listing gives its addresses sorted; a bad value is no endpoint', () => {
  const table = tableOf([
    { key: key('127.0.0.1:50052'), value: value('127.0.0.1:50052') },
    { key: key('127.0.0.1:50051'), value: value('127.0.0.1:50051') },
    { key: key('junk'), value: 'junk' },
  ]);
  assert.deepEqual(addressesOf(table), ['127.0.0.1:50051', '127.0.0.1:50052']);
});

test('watch events add, replace and remove endpoints', () => {
  const table = tableOf([]);
  applyEvents(table, [put('127.0.0.1:50051'), put('127.0.0.1:50052'), put('127.0.0.1:50053')]);
  assert.deepEqual(addressesOf(table), ['127.0.0.1:50051', '127.0.0.1:50052', '127.0.0.1:50053']);
  applyEvents(table, [del('127.0.0.1:50052')]);
  assert.deepEqual(addressesOf(table), ['127.0.0.1:50051', '127.0.0.1:50053']);
  // A key whose value turns bad drops its endpoint; deleting an unknown key changes nothing.
  applyEvents(table, [{ ...put('127.0.0.1:50051'), value: '{}' }, del('127.0.0.1:59999')]);
  assert.deepEqual(addressesOf(table), ['127.0.0.1:50053']);
  applyEvents(table, [del('127.0.0.1:50053')]);
  assert.deepEqual(addressesOf(table), []);
});

test('two keys naming one address are one endpoint', () => {
  const table = tableOf([
    { key: '/services/entity-service/a', value: value('127.0.0.1:50051') },
    { key: '/services/entity-service/b', value: value('127.0.0.1:50051') },
  ]);
  assert.deepEqual(addressesOf(table), ['127.0.0.1:50051']);
});

test('grpc-js gets one endpoint per address', () => {
  assert.deepEqual(endpointsOf(['127.0.0.1:50051', 'entity.local:50052']), [
    { addresses: [{ host: '127.0.0.1', port: 50051 }] },
    { addresses: [{ host: 'entity.local', port: 50052 }] },
  ]);
});

test('a prefix ends where the key after its last byte begins', () => {
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');
  assert.equal(decode(prefixEnd('/services/entity-service/')), '/services/entity-service0');
  assert.equal(decode(prefixEnd('traefik')), 'traefil');
});

test('watch messages: PUT is the JSON default, DELETE is named, keys and values are base64', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const events = eventsOf({
    result: {
      events: [
        { kv: { key: b64(key('127.0.0.1:50051')), value: b64(value('127.0.0.1:50051')) } },
        { type: 'DELETE', kv: { key: b64(key('127.0.0.1:50052')) } },
      ],
    },
  });
  assert.deepEqual(events, [put('127.0.0.1:50051'), del('127.0.0.1:50052')]);
  assert.deepEqual(eventsOf({ result: {} }), []);
});
