// What `obskit dash` draws in a panel's box (dashboards/terminal), on synthetic panels: values in
// the panel's unit, charts as wide as asked with a time axis, threshold lines and annotations,
// heatmaps in shades, and rows of panels that never overflow the terminal.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawsOn } from '../../clients/grafana/annotations';
import { heatmapBuckets } from '../../clients/grafana/frames';
import { plotChart } from '../../dashboards/terminal/chart';
import type { PanelView } from '../../dashboards/terminal/frame';
import { shades } from '../../dashboards/terminal/heatmap';
import { panelLines } from '../../dashboards/terminal/panel-text';
import { spanOf } from '../../dashboards/terminal/render';
import { thresholdLines } from '../../dashboards/terminal/thresholds';
import { formatValue } from '../../dashboards/terminal/units';

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
