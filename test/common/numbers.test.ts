// The shared ranged-number parser: what fits a range, and what does not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberIn, rangeText } from '../../common/numbers';

const port = { min: 1, max: 65535, integer: true };
const fraction = { min: 0, max: 1 };
const positive = { min: 0, max: Number.POSITIVE_INFINITY, aboveMin: true };

test('a number within the range is returned, its bounds included', () => {
  assert.equal(numberIn('1', port), 1);
  assert.equal(numberIn('65535', port), 65535);
  assert.equal(numberIn('0', fraction), 0);
  assert.equal(numberIn('0.25', fraction), 0.25);
  assert.equal(numberIn('1', fraction), 1);
  assert.equal(numberIn(' 8080 ', port), 8080);
  assert.equal(numberIn('1e3', port), 1000);
});

test('a number outside the range is refused', () => {
  for (const raw of ['0', '-1', '65536', '70000']) assert.equal(numberIn(raw, port), undefined);
  for (const raw of ['-0.1', '1.01']) assert.equal(numberIn(raw, fraction), undefined);
});

test('integer ranges refuse fractions; number ranges take them', () => {
  assert.equal(numberIn('12.5', port), undefined);
  assert.equal(numberIn('12.5', { min: 1, max: 65535 }), 12.5);
  assert.equal(numberIn('12.0', port), 12);
});

test('what is not a finite number is refused, blank included', () => {
  for (const raw of ['', '   ', 'abc', '5%', '10s', 'NaN', 'Infinity', '-Infinity']) {
    assert.equal(numberIn(raw, { min: 0, max: Number.POSITIVE_INFINITY }), undefined, raw);
  }
});

test('aboveMin refuses the minimum itself: a positive number', () => {
  assert.equal(numberIn('0', positive), undefined);
  assert.equal(numberIn('0.001', positive), 0.001);
  assert.equal(numberIn('1e9', positive), 1e9);
});

test('the range in words, for messages', () => {
  assert.equal(rangeText(port), 'an integer from 1 to 65535');
  assert.equal(rangeText(fraction), 'a number from 0 to 1');
});
