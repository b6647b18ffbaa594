// The generated Grafana dashboards, checked offline: up to date with their TypeScript source,
// every panel titled, with a provisioned datasource and a unit, every metric declared once,
// every link to a dashboard that exists; and the Grafana rules obskit follows to run them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Panel, Target } from '../../cli/grafana/model';
import { builtins, interpolate, type Selections } from '../../cli/grafana/variables';
import { knownBackendMetrics } from '../../dashboards/grafana/src/backend-metrics';
import { manifest } from '../../instrumentation/metrics/manifest';
import { committedDashboards, provisionedDatasources } from '../helpers/grafana';
import { familyOf, metricNames, prometheusRules } from '../helpers/promql';
import { runCli } from '../helpers/stack';

const dashboards = committedDashboards();
const panelsOf = (kind?: string) =>
  dashboards.flatMap((d) =>
    d.panels
      .filter((p) => p.type !== 'row' && (!kind || p.datasource?.type === kind))
      .map((panel) => ({ dashboard: d.title, panel })),
  );
const targetsOf = (panel: Panel): Target[] => panel.targets ?? [];

test('the committed dashboards are what dashboards/grafana/src gives', () => {
  const result = runCli(['dashboards', 'check']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^6 dashboards in .* are up to date\n$/);
});

test('six dashboards with distinct uids, tagged obskit', () => {
  assert.deepEqual(
    dashboards.map((d) => d.uid),
    [
      'obskit-alerts-slos',
      'obskit-edge-discovery',
      'obskit-nodejs-runtime',
      'obskit-service-detail',
      'obskit-services-overview',
      'obskit-telemetry-pipeline',
    ],
  );
});

test('every panel has a title, a description and a provisioned datasource; every target names the same', () => {
  const provisioned = new Map(provisionedDatasources().map((d) => [d.uid, d.type]));
  const problems = panelsOf().flatMap(({ dashboard, panel }) => {
    const where = `${dashboard} / ${panel.title}`;
    const refs = [panel.datasource, ...targetsOf(panel).map((t) => t.datasource)];
    return [
      ...(panel.title && panel.description ? [] : [`${where}: no title or description`]),
      ...(targetsOf(panel).length > 0 ? [] : [`${where}: no target`]),
      ...refs
        .filter((ref) => !ref || provisioned.get(ref.uid) !== ref.type)
        .map((ref) => `${where}: datasource ${JSON.stringify(ref)} is not provisioned`),
    ];
  });
  assert.deepEqual(problems, []);
});

test('every panel fits the 24 columns of the grid, below the one before it or beside it', () => {
  const problems = dashboards.flatMap((d) =>
    d.panels.flatMap((panel, i) => {
      const pos = panel.gridPos;
      const before = d.panels[i - 1]?.gridPos;
      if (!pos) return [`${d.title} / ${panel.title}: no gridPos`];
      const fits = pos.x >= 0 && pos.x + pos.w <= 24;
      const overlaps = before && pos.y < before.y + before.h && pos.x < before.x + before.w;
      return fits && !overlaps ? [] : [`${d.title} / ${panel.title}: ${JSON.stringify(pos)}`];
    }),
  );
  assert.deepEqual(problems, []);
});

test('every panel that plots a quantity has a unit', () => {
  const plots = panelsOf().filter(({ panel }) => ['timeseries', 'stat'].includes(panel.type));
  assert.ok(plots.length >= 25, `only ${plots.length} plots`);
  const unitless = plots
    .filter(({ panel }) => !panel.fieldConfig?.defaults?.unit)
    .map(({ dashboard, panel }) => `${dashboard} / ${panel.title}`);
  assert.deepEqual(unitless, []);
});

test('every metric a panel or a variable reads is in the manifest, a backend’s own or a recording rule', () => {
  const declared = new Set([
    ...manifest.map((m) => m.name),
    ...knownBackendMetrics.map((m) => m.name),
    ...prometheusRules().flatMap((r) => (r.record ? [r.record] : [])),
  ]);
  const exprs = [
    ...panelsOf('prometheus').flatMap(({ panel }) => targetsOf(panel).map((t) => t.expr ?? '')),
    // label_values(selector, label): the selector's metric.
    ...dashboards.flatMap((d) =>
      (d.templating?.list ?? []).map((v) =>
        String(v.query).replace(/^label_values\((.+),\s*\w+\)$/, '$1'),
      ),
    ),
  ];
  const used = new Set(exprs.flatMap(metricNames).map(familyOf));
  assert.ok(used.size >= 20, `only ${[...used].join(', ')}`);
  assert.deepEqual(
    [...used].filter((name) => !declared.has(name)),
    [],
  );
});

test('every link to a dashboard names one that exists', () => {
  const uids = new Set(dashboards.map((d) => d.uid));
  const links = panelsOf().flatMap(({ panel }) => panel.fieldConfig?.defaults?.links ?? []);
  assert.ok(links.length >= 3);
  for (const link of links) {
    const uid = /^\/d\/([\w-]+)/.exec(link.url)?.[1];
    assert.ok(uid && uids.has(uid), link.url);
  }
});

const selections: Selections = {
  service: { values: ['gateway', 'entity-service'], multi: true },
  one: { values: ['entity-service'], multi: true },
  plain: { values: ["it's"], multi: false },
  all: { values: ['a', 'b'], allValue: '.+', multi: true },
  instance: { values: ['127.0.0.1:9464'], multi: true },
};

for (const [text, type, expected] of [
  ['{service=~"$service"}', 'prometheus', '{service=~"(gateway|entity-service)"}'],
  ['{service=~"${service}"}', 'prometheus', '{service=~"(gateway|entity-service)"}'],
  ['{service=~"$one"}', 'prometheus', '{service=~"entity-service"}'],
  ['{x="$plain"}', 'prometheus', '{x="it\\\'s"}'],
  ['{x=~"$all"}', 'prometheus', '{x=~".+"}'],
  // Escaped for the regex, then for the PromQL string.
  ['{instance=~"$instance"}', 'prometheus', '{instance=~"127\\\\.0\\\\.0\\\\.1:9464"}'],
  ['service.name:$service', 'elasticsearch', 'service.name:("gateway" OR "entity\\-service")'],
  ['service.name:$one', 'elasticsearch', 'service.name:entity\\-service'],
  ['$one', 'jaeger', 'entity-service'],
  ['$unknown and ${__field.labels.x}', 'prometheus', '$unknown and ${__field.labels.x}'],
] as const) {
  test(`${type}: ${text} is interpolated as Grafana does`, () => {
    assert.equal(interpolate(text, selections, type), expected);
  });
}

test('$__interval is at least the scrape interval; $__rate_interval at least four of them', () => {
  const minutes = (m: number) => ({ fromMs: 0, toMs: m * 60_000 });
  assert.deepEqual(builtins(minutes(15), 10).values.__rate_interval, '40s');
  assert.deepEqual(builtins(minutes(15), 10).values.__interval, '10s');
  assert.deepEqual(builtins(minutes(15), 10).values.__range, '900s');
  // 24 h over 1000 points: 86.4 s, rounded up to 120 s; the rate interval adds a scrape.
  assert.deepEqual(builtins(minutes(24 * 60), 10).values.__interval, '120s');
  assert.deepEqual(builtins(minutes(24 * 60), 10).values.__rate_interval, '130s');
});
