// What `obskit dash` draws for a panel, on synthetic panels and answers: frames named as
// Grafana names them (legends for series, `Value #A` for table frames, terms for Elasticsearch),
// values in the panel's unit and threshold colour, charts as wide as asked with a time axis and
// threshold lines, heatmaps in shades, and rows of panels that never overflow the terminal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plotChart } from '../../cli/dash/chart';
import type { PanelView } from '../../cli/dash/frame';
import { shades } from '../../cli/dash/heatmap';
import { panelLines } from '../../cli/dash/panel-text';
import { spanOf } from '../../cli/dash/render';
import { thresholdColor, thresholdLines } from '../../cli/dash/thresholds';
import { formatValue } from '../../cli/dash/units';
import { dataOf } from '../../cli/dash/views';
import { parseDuration } from '../../cli/durations';
import { drawsOn, regions } from '../../cli/grafana/annotations';
import { elasticsearchName, heatmapBuckets, prometheusName } from '../../cli/grafana/frames';
import type { Panel, Target } from '../../cli/grafana/model';
import type { TargetResult } from '../../cli/grafana/targets';

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

test('series names are promlib’s: the legend filled (a missing label empty), else name{sorted labels}, else the query', () => {
  const labels = { service: 'gateway', http_route: '/entities/:id' };
  assert.equal(prometheusName(labels, '{{service}} p95'), 'gateway p95');
  assert.equal(prometheusName(labels, '{{ http_route }} {{missing}}'), '/entities/:id ');
  assert.equal(prometheusName(labels), '{http_route="/entities/:id", service="gateway"}');
  assert.equal(prometheusName({ __name__: 'up', job: 'a' }), 'up{job="a"}');
  assert.equal(prometheusName({}, '', 'sum(up)'), 'sum(up)');
  assert.equal(prometheusName(labels, '__auto'), '');
});

const sample = (metric: Record<string, string>, value: string) => ({
  metric,
  value: [1000, value],
});
const result = (refId: string, rows: unknown[]): TargetResult => ({
  panel: 'p',
  refId,
  datasource: 'prometheus',
  query: '',
  found: rows.length,
  rows,
});
const stat = (targets: Target[]): Panel => ({
  type: 'stat',
  title: 'stat',
  datasource: { type: 'prometheus', uid: 'p' },
  targets,
});
const slos = [
  sample({ service: 'gateway', slo: 'availability' }, '0.9'),
  sample({ service: 'gateway', slo: 'latency' }, '0.5'),
];

test('a stat on one table target shows one value named Value, the last row’s: the legend plays no part', () => {
  const targets: Target[] = [
    { refId: 'A', format: 'table', instant: true, legendFormat: '{{slo}}' },
  ];
  assert.deepEqual(dataOf(stat(targets), targets, [result('A', slos)]).values, [
    { name: 'Value', value: 0.5, color: undefined },
  ]);
});

test('a stat on two table targets names them Value #A and Value #B', () => {
  const targets: Target[] = [
    { refId: 'A', format: 'table', instant: true, legendFormat: 'with a leader' },
    { refId: 'B', format: 'table', instant: true, legendFormat: 'scraped' },
  ];
  const values = dataOf(stat(targets), targets, [
    result('A', [sample({}, '3')]),
    result('B', [sample({}, '3')]),
  ]).values;
  assert.deepEqual(
    values?.map((v) => v.name),
    ['Value #A', 'Value #B'],
  );
});

test('a stat on an instant time-series target shows one value per series, named by its legend', () => {
  const targets: Target[] = [{ refId: 'A', instant: true, legendFormat: '{{service}} {{slo}}' }];
  const values = dataOf(stat(targets), targets, [result('A', slos)]).values;
  assert.deepEqual(
    values?.map((v) => [v.name, v.value]),
    [
      ['gateway availability', 0.9],
      ['gateway latency', 0.5],
    ],
  );
});

test('a stat is coloured by the step its value reaches; percentage steps are of min..max', () => {
  const defaults = {
    thresholds: {
      steps: [
        { color: 'green', value: null },
        { color: 'red', value: 0.05 },
      ],
    },
  };
  assert.equal(thresholdColor(0.01, defaults), 'green');
  assert.equal(thresholdColor(0.05, defaults), 'red');
  const percent = {
    min: 0,
    max: 2,
    thresholds: {
      mode: 'percentage' as const,
      steps: [
        { color: 'green', value: null },
        { color: 'red', value: 50 },
      ],
    },
  };
  assert.equal(thresholdColor(1.2, percent), 'red');
  assert.equal(thresholdColor(0.9, percent), 'green');
});

test('a table panel shows a table frame’s label columns and Value, and merge joins two frames by their labels', () => {
  const targets: Target[] = [
    { refId: 'A', format: 'table', instant: true },
    { refId: 'B', format: 'table', instant: true },
  ];
  const panel: Panel = { ...stat(targets), type: 'table', transformations: [{ id: 'merge' }] };
  const table = dataOf(panel, targets, [
    result('A', [sample({ route: '/a' }, '1'), sample({ route: '/b' }, '2')]),
    result('B', [sample({ route: '/b' }, '0.2'), sample({ route: '/a' }, '0.1')]),
  ]).table;
  assert.deepEqual(table, {
    columns: ['route', 'Value #A', 'Value #B'],
    rows: [
      ['/a', 1, 0.1],
      ['/b', 2, 0.2],
    ],
  });
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

const range = { fromMs: 1_700_000_000_000, toMs: 1_700_000_000_000 + 15 * 60_000 };
const points = (f: (i: number) => number): [number, number][] =>
  Array.from({ length: 61 }, (_, i) => [range.fromMs / 1000 + i * 15, f(i)]);
const view = (more: Partial<PanelView>): PanelView => ({
  title: 't',
  type: 'timeseries',
  datasource: 'prometheus',
  unit: 's',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  queries: [],
  ...more,
});

test('a chart is as wide as asked, gaps left out, a time axis of clock times beneath', () => {
  const series = [
    { name: 'p95', points: points((i) => (i === 30 ? Number.NaN : 0.01 + i / 1000)) },
  ];
  const lines = panelLines(view({ series }), 90, 8, false, range);
  const chart = lines.slice(0, -2);
  assert.ok(
    chart.every((line) => line.length === 90),
    lines.join('\n'),
  );
  assert.match(lines.join('\n'), /┤/);
  assert.match(lines.at(-2) ?? '', /^ +\d\d:\d\d( +\d\d:\d\d){3,}/);
  assert.equal(lines.at(-1), '● p95  70 ms');
});

test('a threshold the style draws is a dashed line across the chart and a legend entry', () => {
  const defaults = {
    thresholds: {
      steps: [
        { color: 'green', value: null },
        { color: 'red', value: 0.5 },
      ],
    },
    custom: { thresholdsStyle: { mode: 'dashed' } },
  };
  assert.deepEqual(thresholdLines(defaults), [{ value: 0.5, color: 'red', dashed: true }]);
  assert.deepEqual(
    thresholdLines({ ...defaults, custom: { thresholdsStyle: { mode: 'off' } } }),
    [],
  );
  const series = [{ name: 'lag', points: points((i) => i / 60) }];
  const lines = panelLines(
    view({ series, thresholds: thresholdLines(defaults) }),
    60,
    10,
    false,
    range,
  );
  assert.ok(
    lines.some((line) => /┤┄{10,}/.test(line)),
    lines.join('\n'),
  );
  assert.match(lines.join('\n'), /┄ threshold 500 ms {3}● lag/);
});

test('annotations are marked on the time axis and listed under the chart', () => {
  const series = [{ name: 'rate', points: points(() => 1) }];
  const annotations = [
    {
      name: 'Alerts',
      timeMs: range.fromMs + 5 * 60_000,
      timeEndMs: range.toMs,
      title: 'HighErrorRate',
      text: 'gateway',
      tags: [],
    },
  ];
  const lines = panelLines(view({ series, annotations }), 80, 10, false, range);
  assert.match(lines.at(-1) ?? '', /^▲ {2}\d\d:\d\d:\d\d {2}Alerts {2}HighErrorRate {2}gateway$/);
  assert.ok(lines.some((line) => line.includes('▲') && /\d\d:\d\d/.test(line)));
  const panel = { type: 'timeseries', title: 'x', id: 3 };
  assert.equal(drawsOn({ name: 'a' }, panel), true);
  assert.equal(drawsOn({ name: 'a', filter: { ids: [4] } }, panel), false);
  assert.equal(drawsOn({ name: 'a', filter: { exclude: true, ids: [4] } }, panel), true);
  assert.equal(drawsOn({ name: 'a' }, { ...panel, type: 'stat' }), false);
});

test('a heatmap: cumulative buckets less the one below, drawn in shades with the highest bucket on top', () => {
  const t = range.fromMs / 1000;
  const bucket = (le: string, v: number) => ({
    metric: { le, service: 'gateway' },
    values: [[t + 450, String(v)]] as [number, string][],
  });
  const buckets = heatmapBuckets([bucket('+Inf', 10), bucket('0.1', 2), bucket('0.5', 9)]);
  assert.deepEqual(
    buckets.map((b) => [b.le, b.points[0]?.[1]]),
    [
      ['0.1', 2],
      ['0.5', 7],
      ['+Inf', 1],
    ],
  );
  const lines = panelLines(view({ type: 'heatmap', heatmap: buckets }), 60, 8, false, range);
  assert.match(lines[0] ?? '', /^ *\+Inf┤/);
  assert.match(lines[1] ?? '', /^ *500 ms┤ *█/);
  assert.ok(
    lines.slice(0, 3).every((l) => l.length === 60),
    lines.join('\n'),
  );
  assert.ok(lines.join('').includes(shades[1] as string));
});

test('rows of panels share the terminal’s columns: no row is wider than the terminal', () => {
  for (const columns of [80, 99, 157, 200]) {
    for (const widths of [[8, 8, 8], [12, 12], [6, 6, 6, 6], [24]]) {
      let x = 0;
      const spans = widths.map((w) => {
        const span = spanOf({ x, y: 0, w, h: 8 }, columns);
        x += w;
        return span;
      });
      assert.equal(spans.at(-1)?.[1], columns);
      for (const [i, s] of spans.slice(1).entries()) assert.equal(s[0], spans[i]?.[1]);
    }
  }
});

test('a series of NaN only, no series, and an error each say so in one line', () => {
  const nan = [{ name: 'p95', points: [[1, Number.NaN]] as [number, number][] }];
  assert.deepEqual(panelLines(view({ series: nan }), 40, 8, false, range), ['No data']);
  assert.deepEqual(panelLines(view({ values: [] }), 40, 8, false, range), ['No data']);
  assert.deepEqual(panelLines(view({ error: 'down' }), 40, 8, false, range), ['error: down']);
  assert.equal(
    plotChart({
      series: [],
      thresholds: [],
      marks: [],
      range,
      width: 30,
      rows: 3,
      format: String,
      colour: false,
    }).length,
    4,
  );
});

test('durations are a whole number and s, m, h or d', () => {
  assert.equal(parseDuration('15m'), 900_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  for (const bad of ['', '0s', '1.5m', '5', 'ever', '-1m'])
    assert.equal(parseDuration(bad), undefined, bad);
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
