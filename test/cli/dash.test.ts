// What `obskit dash` prints for a panel: values in the panel's unit, Grafana's legends, and a
// chart that survives the points Prometheus gives as NaN.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legendOf, type PanelView } from '../../cli/dash/frame';
import { panelLines } from '../../cli/dash/panel-text';
import { formatValue } from '../../cli/dash/units';
import { parseDuration } from '../../cli/durations';

for (const [value, unit, shown] of [
  [0.0042, 's', '4.2 ms'],
  [0.0000421, 's', '42.1 µs'],
  [12.345, 's', '12.3 s'],
  [19.98, 'reqps', '20 req/s'],
  [0.2049, 'percentunit', '20.5%'],
  [3 * 1024 * 1024, 'bytes', '3 MiB'],
  [1534, 'short', '1.53 K'],
  [Number.NaN, 's', 'NaN'],
] as const) {
  test(`${value} in ${unit} shows as ${shown}`, () =>
    assert.equal(formatValue(value, unit), shown));
}

test('legends fill {{label}} from the series, or list its labels', () => {
  const labels = { service: 'gateway', http_route: '/entities/:id' };
  assert.equal(legendOf(labels, '{{service}} p95'), 'gateway p95');
  assert.equal(legendOf(labels, '{{ http_route }} {{missing}}'), '/entities/:id');
  assert.equal(legendOf(labels), '{service="gateway", http_route="/entities/:id"}');
  assert.equal(legendOf({}), 'value');
});

const panel = (view: Partial<PanelView>): PanelView => ({
  title: 't',
  type: 'timeseries',
  datasource: 'prometheus',
  unit: 's',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  queries: [],
  ...view,
});

test('a chart leaves NaN points out and names each series with its last value', () => {
  const series = [
    {
      name: 'p95',
      points: [
        [1, 0.01],
        [2, Number.NaN],
        [3, 0.02],
      ] as [number, number][],
    },
  ];
  const lines = panelLines(panel({ series }), 40, 8, false);
  assert.match(lines.join('\n'), /┤|┼/);
  assert.equal(lines.at(-1), '● p95  20 ms');
});

test('a series of NaN only, no series, and an error each say so in one line', () => {
  const nan = [{ name: 'p95', points: [[1, Number.NaN]] as [number, number][] }];
  assert.deepEqual(panelLines(panel({ series: nan }), 40, 8, false), ['No data']);
  assert.deepEqual(panelLines(panel({ values: [] }), 40, 8, false), ['No data']);
  assert.deepEqual(panelLines(panel({ error: 'down' }), 40, 8, false), ['error: down']);
});

test('durations are a whole number and s, m, h or d', () => {
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  for (const bad of ['', '0s', '1.5m', '5', 'ever', '-1m'])
    assert.equal(parseDuration(bad), undefined, bad);
});
