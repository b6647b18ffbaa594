// What a panel draws from its targets' results (dashboards/terminal/views.ts), on synthetic
// answers: frames named as Grafana names them (legends for series, `Value #A` for table frames),
// stats reduced and coloured by their thresholds, tables merged by their labels.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Panel, Target } from '../../clients/grafana/model';
import type { TargetResult } from '../../clients/grafana/targets';
import { thresholdColor } from '../../dashboards/terminal/thresholds';
import { dataOf } from '../../dashboards/terminal/views';

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
