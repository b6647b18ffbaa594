// The key layout: instance keys and values, what counts as an address, Traefik's route keys.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addressOf,
  gatewayRoute,
  instanceKey,
  instanceValue,
  servicePrefix,
  splitAddress,
} from '../../../../demo-services/common/discovery/keys';

test('an instance is keyed by its address under its service, its value names the address', () => {
  assert.equal(servicePrefix('entity-service'), '/services/entity-service/');
  assert.equal(
    instanceKey('entity-service', '127.0.0.1:50051'),
    '/services/entity-service/127.0.0.1:50051',
  );
  assert.equal(instanceValue('127.0.0.1:50051'), '{"address":"127.0.0.1:50051"}');
  assert.equal(addressOf(instanceValue('127.0.0.1:50051')), '127.0.0.1:50051');
});

test('a value that names no host:port is no address', () => {
  for (const value of [
    '',
    'not json',
    '{}',
    '{"address":50051}',
    '{"address":"127.0.0.1"}',
    '{"address":"a b:1"}',
    'null',
  ]) {
    assert.equal(addressOf(value), undefined, value);
  }
  assert.deepEqual(splitAddress('entity.local:50052'), { host: 'entity.local', port: 50052 });
});

test('the gateway route is in Traefik’s KV layout: shared router keys, one server per gateway', () => {
  assert.deepEqual(gatewayRoute(28080), {
    shared: {
      'traefik/http/routers/gateway/rule': 'PathPrefix(`/`)',
      'traefik/http/routers/gateway/service': 'gateway',
      'traefik/http/routers/gateway/entryPoints/0': 'web',
    },
    instance: {
      'traefik/http/services/gateway/loadBalancer/servers/28080/url': 'http://127.0.0.1:28080',
    },
  });
});
