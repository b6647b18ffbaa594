// Durations as the command line takes them (--range, --since).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../common/durations';

test('durations are a whole number and s, m, h or d', () => {
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  for (const bad of ['', '0s', '1.5m', '5', 'ever', '-1m'])
    assert.equal(parseDuration(bad), undefined, bad);
});
