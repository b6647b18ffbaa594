// What a panel draws from its targets' results, shaped as Grafana shapes them: series named by
// the legend, table frames named `Value`/`Value #A` whatever the legend, heatmap buckets,
// stats reduced by the panel's calculation and coloured by its thresholds.

import { formatLogLine, type LogDocument } from '../../clients/elasticsearch/log-lines';
import {
  type Bucket,
  elasticsearchName,
  heatmapBuckets,
  mergeTables,
  organizeTable,
  prometheusName,
  type Sample,
  sampleValue,
  type Table,
  tableFrames,
} from '../../clients/grafana/frames';
import type { Panel, Target } from '../../clients/grafana/model';
import type { Series, TargetResult } from '../../clients/grafana/targets';
import { type JaegerTrace, serviceOf } from '../../clients/jaeger';
import { thresholdColor } from './thresholds';

export interface NamedSeries {
  name: string;
  points: [number, number][];
}

export interface PanelData {
  series?: NamedSeries[];
  /** Stat, gauge and bar gauge panels: one value per field, in its threshold colour. */
  values?: { name: string; value: number; color?: string }[];
  table?: Table;
  heatmap?: Bucket[];
  lines?: string[];
  traces?: { traceId: string; root: string; durationMs: number; spans: number }[];
}

const singleValuePanels = new Set(['stat', 'gauge', 'bargauge']);

/** Grafana's reducers for a stat's calculation; lastNotNull is its default. */
const lastNotNull = (v: number[]) => v.filter((x) => !Number.isNaN(x)).at(-1) ?? Number.NaN;
const reducers: Record<string, (values: number[]) => number> = {
  lastNotNull,
  last: (v) => v.at(-1) ?? Number.NaN,
  firstNotNull: (v) => v.find((x) => !Number.isNaN(x)) ?? Number.NaN,
  first: (v) => v[0] ?? Number.NaN,
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  sum: (v) => v.reduce((a, b) => a + b, 0),
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  count: (v) => v.length,
};

/** A Prometheus answer's series as points, an instant vector's as one point each. */
function seriesOf(result: TargetResult): Series[] {
  return (result.rows as (Series | Sample)[]).map((row) =>
    'values' in row ? row : { metric: row.metric, values: [row.value] },
  );
}

/** A table target's rows as samples: a range query gives one row per point, as in Grafana. */
const samplesOf = (result: TargetResult): Sample[] =>
  seriesOf(result).flatMap((s) => s.values.map((value) => ({ metric: s.metric, value })));

/** The panel's transformations that shape tables: merge and organize. */
function transformed(panel: Panel, tables: Table[]): Table[] {
  let current = tables;
  for (const { id, options = {} } of panel.transformations ?? []) {
    if (id === 'merge' && current.length > 0) current = [mergeTables(current)];
    if (id === 'organize') current = current.map((t) => organizeTable(t, options));
  }
  return current;
}

function prometheusData(panel: Panel, pairs: { target: Target; result: TargetResult }[]) {
  const named = (target: Target, s: Series) => ({
    name: prometheusName(s.metric, target.legendFormat ?? '', target.expr ?? ''),
    points: s.values.map(([t, v]) => [t, sampleValue(v)] as [number, number]),
  });
  const tablePairs = pairs.filter((p) => p.target.format === 'table');
  const tables = transformed(
    panel,
    tableFrames(tablePairs.map((p) => ({ refId: p.target.refId, samples: samplesOf(p.result) }))),
  );
  const heat = pairs.filter((p) => p.target.format === 'heatmap');
  const series = pairs
    .filter((p) => p.target.format !== 'table' && p.target.format !== 'heatmap')
    .flatMap((p) => seriesOf(p.result).map((s) => named(p.target, s)));
  return { tables, series, heatmap: heatmapBuckets(heat.flatMap((p) => seriesOf(p.result))) };
}

/** One value per numeric field: each series', each table value column's, over its rows. */
function reducedValues(panel: Panel, series: NamedSeries[], tables: Table[]) {
  const calc = panel.options?.reduceOptions?.calcs?.[0] ?? 'lastNotNull';
  const reduce = reducers[calc] ?? lastNotNull;
  const fields = [
    ...series.map((s) => ({ name: s.name, values: s.points.map(([, v]) => v) })),
    ...tables.flatMap((t) =>
      t.columns.flatMap((name, i) => {
        const values = t.rows.map((r) => r[i]);
        const numbers = values.length > 0 && values.every((v) => typeof v === 'number');
        return numbers ? [{ name, values }] : [];
      }),
    ),
  ];
  const values = fields.map((f) => ({ name: f.name, value: reduce(f.values) }));
  const finite = values.map((v) => v.value).filter(Number.isFinite);
  const range: [number, number] = [Math.min(0, ...finite), Math.max(...finite, 0)];
  return values.map((v) => ({
    ...v,
    color: thresholdColor(v.value, panel.fieldConfig?.defaults, range),
  }));
}

function tracesData(results: TargetResult[]): PanelData['traces'] {
  return results.flatMap((result) =>
    (result.rows as JaegerTrace[]).map((trace) => {
      const start = Math.min(...trace.spans.map((s) => s.startTime));
      const end = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
      const root = trace.spans.find((s) => s.references.length === 0) ?? trace.spans[0];
      return {
        traceId: trace.traceID,
        root: root ? `${serviceOf(trace, root)}: ${root.operationName}` : '',
        durationMs: (end - start) / 1000,
        spans: trace.spans.length,
      };
    }),
  );
}

/** The unit each column has by the panel's byName overrides (of the names after organize). */
function withUnits(panel: Panel, table: Table): Table {
  const unitOf = (column: string) => {
    const override = (panel.fieldConfig?.overrides ?? []).find(
      (o) => o.matcher.id === 'byName' && o.matcher.options === column,
    );
    const unit = override?.properties.find((p) => p.id === 'unit')?.value;
    return typeof unit === 'string' ? unit : null;
  };
  const units = table.columns.map(unitOf);
  return units.some((u) => u !== null) ? { ...table, units } : table;
}

/** What the panel draws from its (shown) targets' results, in the targets' order. */
export function dataOf(panel: Panel, targets: Target[], results: TargetResult[]): PanelData {
  const pairs = results.flatMap((result, i) => {
    const target = targets[i];
    return target ? [{ result, target }] : [];
  });
  const datasource = panel.datasource?.type;
  if (datasource === 'jaeger') return { traces: tracesData(results) };
  if (panel.type === 'logs') {
    const docs = results.flatMap((r) =>
      (r.rows as { _source: LogDocument }[]).map((h) => h._source),
    );
    return { lines: docs.map((doc) => formatLogLine(doc, false).trim()) };
  }
  if (datasource === 'elasticsearch') {
    const series = pairs.flatMap(({ target, result }) =>
      (result.rows as Series[]).map((s) => ({
        name: elasticsearchName(s.metric, target),
        points: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
      })),
    );
    return singleValuePanels.has(panel.type)
      ? { values: reducedValues(panel, series, []) }
      : { series };
  }
  const { tables, series, heatmap } = prometheusData(panel, pairs);
  if (panel.type === 'heatmap') return { heatmap };
  if (singleValuePanels.has(panel.type)) return { values: reducedValues(panel, series, tables) };
  if (panel.type === 'table') {
    const rows = series.map((s) => [s.name, s.points.at(-1)?.[1] ?? Number.NaN]);
    return { table: withUnits(panel, tables[0] ?? { columns: ['Series', 'Value'], rows }) };
  }
  return { series };
}
