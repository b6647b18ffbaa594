// Jaeger's trace store choice and the retention of its daily indices in Elasticsearch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceIndices } from '../../common/index-names';
import { jaegerStorage } from '../../stack/backends/jaeger';
import { expiredLogIndices } from '../../stack/log-retention';

test('OBSKIT_JAEGER_STORAGE: elasticsearch unless set; memory; anything else stops with one line', () => {
  assert.equal(jaegerStorage({}), 'elasticsearch');
  assert.equal(jaegerStorage({ OBSKIT_JAEGER_STORAGE: 'elasticsearch' }), 'elasticsearch');
  assert.equal(jaegerStorage({ OBSKIT_JAEGER_STORAGE: 'memory' }), 'memory');
  assert.throws(
    () => jaegerStorage({ OBSKIT_JAEGER_STORAGE: 'cassandra' }),
    /OBSKIT_JAEGER_STORAGE="cassandra" is not elasticsearch or memory/,
  );
});

test("Jaeger's daily indices past the retention are expired, like the logs'", () => {
  const today = new Date('2026-11-21T12:00:00Z');
  const names = [
    'obskit-jaeger-span-2026.11.21',
    'obskit-jaeger-service-2026.11.13',
    'obskit-jaeger-span-2026.11.13',
    'obskit-logs-2026.11.01',
  ];
  assert.deepEqual(expiredLogIndices(names, 7, today, traceIndices), [
    'obskit-jaeger-service-2026.11.13',
    'obskit-jaeger-span-2026.11.13',
  ]);
});
