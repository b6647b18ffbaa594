// Which daily log indices retention deletes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiredLogIndices, retentionDaysFrom } from '../../stack/log-retention';

test('indices whose day is more than keepDays before today are expired; others are kept', () => {
  const today = new Date('2026-11-21T23:59:00Z');
  const names = [
    'obskit-logs-2026.11.21',
    'obskit-logs-2026.11.14',
    'obskit-logs-2026.11.13',
    'obskit-logs-2025.12.31',
    'obskit-logs-template-test-1',
    'obskit-logs-2026.11.13-restored',
    'other-2020.01.01',
  ];
  assert.deepEqual(expiredLogIndices(names, 7, today), [
    'obskit-logs-2026.11.13',
    'obskit-logs-2025.12.31',
  ]);
  assert.deepEqual(expiredLogIndices(names, 0, today), [
    'obskit-logs-2026.11.14',
    'obskit-logs-2026.11.13',
    'obskit-logs-2025.12.31',
  ]);
});

test('OBSKIT_LOG_RETENTION_DAYS: unset is 7; a whole number of days or nothing', () => {
  assert.equal(retentionDaysFrom(undefined), 7);
  assert.equal(retentionDaysFrom(''), 7);
  assert.equal(retentionDaysFrom('30'), 30);
  assert.equal(retentionDaysFrom('0'), 0);
  for (const bad of ['-1', '1.5', 'week']) assert.equal(retentionDaysFrom(bad), undefined);
});
