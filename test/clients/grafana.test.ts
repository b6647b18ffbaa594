// The Grafana client's naming and events, as Grafana's datasources give them: Prometheus series
// names (promlib's), Elasticsearch series names, and annotation regions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regions } from '../../clients/grafana/annotations';
import { elasticsearchName, prometheusName } from '../../clients/grafana/frames';

test('series names are promlib’s: the legend filled (a missing label empty), else name{sorted labels}, else the query', () => {
  const labels = { service: 'gateway', http_route: '/entities/:id' };
  assert.equal(prometheusName(labels, '{{service}} p95'), 'gateway p95');
  assert.equal(prometheusName(labels, '{{ http_route }} {{missing}}'), '/entities/:id ');
  assert.equal(prometheusName(labels), '{http_route="/entities/:id", service="gateway"}');
  assert.equal(prometheusName({ __name__: 'up', job: 'a' }), 'up{job="a"}');
  assert.equal(prometheusName({}, '', 'sum(up)'), 'sum(up)');
  assert.equal(prometheusName(labels, '__auto'), '');
});

test('Elasticsearch series are named by their terms’ values, Count without terms, or by the alias', () => {
  assert.equal(
    elasticsearchName({ 'log.level': 'info' }, { metrics: [{ type: 'count' }] }),
    'info',
  );
  assert.equal(elasticsearchName({ b: '2', a: '1' }, {}), '1 2');
  assert.equal(elasticsearchName({}, { metrics: [{ type: 'count' }] }), 'Count');
  assert.equal(
    elasticsearchName({ 'log.level': 'warn' }, { alias: '{{term log.level}} lines' }),
    'warn lines',
  );
});

test('annotation events: steps above zero, a step apart or less, make one region; with useValueForTime the values are the times', () => {
  const at = (t: number, v: string): [number, string] => [t, v];
  assert.deepEqual(regions([at(0, '1'), at(30, '1'), at(60, '0'), at(90, '2')], 30), [
    [0, 30_000],
    [90_000, 90_000],
  ]);
  assert.deepEqual(regions([at(0, '5000000'), at(30, '5000000'), at(60, '9000000')], 30, true), [
    [5_000_000, 5_000_000],
    [9_000_000, 9_000_000],
  ]);
});
