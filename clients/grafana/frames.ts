// Grafana's data frames from the backends' answers, named as Grafana names them: the Prometheus
// datasource's series names and table frames (`Value`, `Value #A`), its heatmap buckets, and the
// Elasticsearch datasource's series names.

import type { Series } from './targets';

export type Labels = Record<string, string>;

/** A table frame: label columns in Grafana's (sorted) order, then the value columns. */
export interface Table {
  columns: string[];
  rows: (string | number)[][];
  /** Each column's unit where the panel's overrides give one. */
  units?: (string | null)[];
}

/** An instant vector's sample, as Prometheus' /api/v1/query gives it. */
export interface Sample {
  metric: Labels;
  value: [number, string];
}

const legendPattern = /\{\{\s*(.+?)\s*\}\}/g;

/** Prometheus' own way of writing a series: name{a="1", b="2"}, labels sorted. */
function metricName(labels: Labels): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  if (pairs.length === 0) return name || '{}';
  return `${name}{${pairs.join(', ')}}`;
}

/**
 * The Prometheus datasource's series name (promlib's getName): the legend filled, a label the
 * series lacks left empty; without a legend the series as Prometheus writes it; `{}` gives the query.
 */
export function prometheusName(labels: Labels, legendFormat = '', expr = ''): string {
  let legend = metricName(labels);
  if (legendFormat === '__auto') {
    if (Object.keys(labels).length > 0) legend = '';
  } else if (legendFormat) {
    legend = legendFormat.replace(legendPattern, (_, name: string) => labels[name] ?? '');
  }
  return legend === '{}' ? expr : legend;
}

/** Sample values as Grafana parses them: +Inf, -Inf and NaN included. */
export function sampleValue(value: string): number {
  if (/^[+-]?inf(inity)?$/i.test(value))
    return value.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number.parseFloat(value);
}

/**
 * Grafana's table frames for the `format: table` targets of a panel (transformDFToTable): one
 * per refId, its labels as columns and one value column, `Value`, or `Value #<refId>` when
 * more than one target of the panel is a table. The legend plays no part.
 */
export function tableFrames(results: { refId: string; samples: Sample[] }[]): Table[] {
  return results.map(({ refId, samples }) => {
    const valueName = results.length > 1 ? `Value #${refId}` : 'Value';
    const labels = [...new Set(samples.flatMap((s) => Object.keys(s.metric)))].sort();
    return {
      columns: [...labels, valueName],
      rows: samples.map((s) => [
        ...labels.map((label) => s.metric[label] ?? ''),
        sampleValue(s.value[1]),
      ]),
    };
  });
}

const labelColumns = (table: Table) =>
  table.columns.filter((_, i) => table.rows.every((row) => typeof row[i] === 'string'));

/** Grafana's merge transformation: rows alike in the label columns all tables share become one. */
export function mergeTables(tables: Table[]): Table {
  const columns = [...new Set(tables.flatMap((t) => t.columns))];
  const shared = labelColumns(tables[0] ?? { columns: [], rows: [] }).filter((c) =>
    tables.every((t) => labelColumns(t).includes(c)),
  );
  const merged = new Map<string, Record<string, string | number>>();
  for (const table of tables) {
    for (const row of table.rows) {
      const record = Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? '']));
      const key = JSON.stringify(shared.map((c) => record[c]));
      merged.set(key, { ...merged.get(key), ...record });
    }
  }
  return { columns, rows: [...merged.values()].map((r) => columns.map((c) => r[c] ?? '')) };
}

interface OrganizeOptions {
  excludeByName?: Record<string, boolean>;
  renameByName?: Record<string, string>;
  indexByName?: Record<string, number>;
}

/** Grafana's organize transformation: columns left out, reordered and renamed. */
export function organizeTable(table: Table, options: OrganizeOptions): Table {
  const { excludeByName = {}, renameByName = {}, indexByName = {} } = options;
  const kept = table.columns
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => !excludeByName[name])
    .sort((a, b) => (indexByName[a.name] ?? a.i + 1000) - (indexByName[b.name] ?? b.i + 1000));
  return {
    columns: kept.map(({ name }) => renameByName[name] || name),
    rows: table.rows.map((row) => kept.map(({ i }) => row[i] ?? '')),
  };
}

/** A heatmap row: the bucket's upper bound and its count at each time. */
export interface Bucket {
  le: string;
  points: [number, number][];
}

/**
 * Grafana's `format: heatmap` (transformToHistogramOverTime): the cumulative `le` series of one
 * label set, sorted by bound, each less the one below it.
 */
export function heatmapBuckets(series: Series[]): Bucket[] {
  const group = (s: Series) =>
    JSON.stringify(Object.entries(s.metric).filter(([k]) => k !== 'le' && k !== '__name__'));
  const first = series[0] ? group(series[0]) : '';
  const sorted = series
    .flatMap((s) =>
      s.metric.le !== undefined && group(s) === first
        ? [{ le: s.metric.le, values: s.values }]
        : [],
    )
    .sort((a, b) => sampleValue(a.le) - sampleValue(b.le));
  return sorted.map(({ le, values }, i) => {
    const below = new Map((sorted[i - 1]?.values ?? []).map(([t, v]) => [t, sampleValue(v)]));
    return { le, points: values.map(([t, v]) => [t, sampleValue(v) - (below.get(t) ?? 0)]) };
  });
}

/**
 * The Elasticsearch datasource's series name (its response parser): the alias with
 * {{term field}}, {{metric}} and {{field}} filled, else the terms' values in the order of their
 * fields, followed by the metric's name when the target has metrics of more than one type.
 */
export function elasticsearchName(
  labels: Labels,
  target: { alias?: string; metrics?: { type: string }[] },
  metric = 'count',
): string {
  const metricLabel = metric === 'count' ? 'Count' : metric;
  if (target.alias)
    return target.alias.replace(legendPattern, (whole, group: string) => {
      if (group.startsWith('term ')) return labels[group.slice(5)] ?? '';
      if (group === 'metric') return metricLabel;
      return labels[group] ?? whole;
    });
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metricLabel;
  const name = keys.map((key) => labels[key]).join(' ');
  const types = new Set((target.metrics ?? []).map((m) => m.type));
  return types.size <= 1 ? name : `${name} ${metricLabel}`;
}
