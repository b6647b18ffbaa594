// The generated Grafana dashboards, checked offline: up to date with their TypeScript source,
// every panel titled, with a provisioned datasource and a unit, every metric declared once,
// every link to a dashboard that exists; and the Grafana rules obskit follows to run them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dashboard, Panel, Target } from '../../clients/grafana/model';
import { builtins, interpolate, type Selections } from '../../clients/grafana/variables';
import { knownBackendMetrics } from '../../dashboards/grafana/src/backend-metrics';
import { demoMetrics } from '../../demo-services/metric-specs';
import { manifest } from '../../instrumentation/metrics/manifest';
import {
  alertPanelProblems,
  committedDashboards,
  provisionedDatasources,
} from '../helpers/grafana';
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
  assert.match(result.stdout, /^7 dashboards in .* are up to date\n$/);
});

test('seven dashboards with distinct uids, tagged obskit', () => {
  assert.deepEqual(
    dashboards.map((d) => d.uid),
    [
      'obskit-alerts-slos',
      'obskit-cluster',
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
    ...Object.values(demoMetrics).map((m) => m.name),
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

/** What Grafana reads beyond clients/grafana's model: placements, annotations, thresholds. */
type Drawn = {
  links?: { title: string; placement?: string }[];
  annotations?: { list?: { name: string; expr?: string; placement?: string }[] };
};

test('every link and annotation toggle is drawn in the toolbar, none in the controls menu', () => {
  for (const d of dashboards as (Dashboard & Drawn)[]) {
    const placed = [...(d.links ?? []), ...(d.annotations?.list ?? [])].filter((x) => x.placement);
    assert.deepEqual(placed, [], d.title);
    assert.deepEqual(
      d.links?.map((l) => l.title),
      ['obskit dashboards', 'Jaeger', 'Kibana', 'Alertmanager'],
    );
  }
});

test('stats, gauges and bar gauges ask for time series, which Grafana names by their legend', () => {
  const tables = panelsOf()
    .filter(({ panel }) => ['stat', 'gauge', 'bargauge'].includes(panel.type))
    .flatMap(({ dashboard, panel }) =>
      targetsOf(panel)
        .filter((t) => (t as { format?: string }).format === 'table' || !t.legendFormat)
        .map((t) => `${dashboard} / ${panel.title} ${t.refId}`),
    );
  assert.deepEqual(tables, []);
});

test('every alert opens the panel that draws its expression, with the line it fires at', () => {
  const alerts = prometheusRules().filter((r) => r.alert);
  assert.ok(alerts.length >= 14, `only ${alerts.length} alerts`);
  assert.deepEqual(alertPanelProblems(dashboards, prometheusRules()), []);
});

test('the service and runtime dashboards mark firing alerts and restarts of $service', () => {
  for (const uid of [
    'obskit-services-overview',
    'obskit-service-detail',
    'obskit-nodejs-runtime',
  ]) {
    const list = (dashboards.find((d) => d.uid === uid) as Drawn).annotations?.list ?? [];
    const exprs = list.map((a) => a.expr ?? '');
    assert.ok(
      exprs.some((e) => /^ALERTS\{.*service=~"\$service".*alertstate="firing"/.test(e)),
      uid,
    );
    assert.ok(
      exprs.some((e) => /process_start_time_seconds\{service=~"\$service"\}/.test(e)),
      uid,
    );
  }
});

test('Service detail is about one service and opens on a table of rate, 5xx share and p99 by route', () => {
  const detail = dashboards.find((d) => d.uid === 'obskit-service-detail') as Dashboard;
  const service = detail.templating?.list.find((v) => v.name === 'service');
  assert.equal(service?.multi, false);
  assert.equal(service?.includeAll, false);
  const [, first] = detail.panels;
  const exprs = targetsOf(first as Panel).map((t) => t.expr ?? '');
  assert.equal(first?.type, 'table');
  assert.equal(exprs.length, 3);
  for (const e of exprs) assert.match(e, /by \(http_request_method, http_route\)/);
  assert.match(exprs[0] ?? '', /_count\{service=~"\$service"\}/);
  assert.match(exprs[1] ?? '', /http_response_status_code=~"5\.\."/);
  assert.match(exprs[2] ?? '', /^histogram_quantile\(0\.99, /);
  const renamed = JSON.stringify((first as { transformations?: unknown }).transformations);
  for (const column of ['Requests/s', '5xx share', 'p99']) assert.ok(renamed.includes(column));
});

test('gRPC server errors are the same codes in the panels and in the alert rule', () => {
  const matcher = 'rpc_grpc_status_code=~"2|4|12|13|14|15"';
  const exprs = panelsOf('prometheus').flatMap(({ panel }) => targetsOf(panel).map((t) => t.expr));
  const grpc = exprs.filter((e) => /rpc_grpc_status_code\s*[=!]/.test(e ?? ''));
  assert.ok(grpc.length >= 2);
  assert.deepEqual(
    grpc.filter((e) => !e?.includes(matcher)),
    [],
  );
  const rule = prometheusRules().find((r) => r.alert === 'HighGrpcErrorRatio');
  assert.ok(rule?.expr.includes(matcher));
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
