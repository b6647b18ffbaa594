// The host an instance registers in etcd: OBSKIT_ADVERTISE_HOST when set, else the host it
// listens on, with a wildcard replaced by loopback; a value no caller could dial is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advertisedHost } from '../../../../demo-services/common/discovery/from-env';
import { SettingError } from '../../../../demo-services/common/settings';

test('OBSKIT_ADVERTISE_HOST wins over the host the instance listens on', () => {
  const env = { OBSKIT_ADVERTISE_HOST: 'entity-service-1' };
  assert.equal(advertisedHost('0.0.0.0', env), 'entity-service-1');
  assert.equal(advertisedHost('127.0.0.1', env), 'entity-service-1');
  assert.equal(advertisedHost('0.0.0.0', { OBSKIT_ADVERTISE_HOST: '10.0.0.7' }), '10.0.0.7');
});

test('unset, the listening host is registered, and a wildcard never is', () => {
  assert.equal(advertisedHost('127.0.0.1', {}), '127.0.0.1');
  assert.equal(advertisedHost('gateway.local', { OBSKIT_ADVERTISE_HOST: '' }), 'gateway.local');
  for (const wildcard of ['0.0.0.0', '::']) assert.equal(advertisedHost(wildcard, {}), '127.0.0.1');
});

test('a host that no caller can dial is refused with a line naming the variable', () => {
  for (const bad of ['0.0.0.0', '::1', 'a b', 'host:80', 'http://gateway', '-gateway', 'gw/1']) {
    assert.throws(
      () => advertisedHost('0.0.0.0', { OBSKIT_ADVERTISE_HOST: bad }),
      (error: Error) =>
        error instanceof SettingError && error.message.startsWith('OBSKIT_ADVERTISE_HOST='),
      bad,
    );
  }
});
