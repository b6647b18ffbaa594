// One frame of a dashboard: each panel's targets run as Grafana runs them, turned into what the
// panel draws (series, a value per series, table rows, log lines, traces) or the reason it can't.

import type { Backends, Dashboard, Panel, TimeRange } from '../grafana/model';
import { expandPanels, runTarget, type Series, type TargetResult } from '../grafana/targets';
import type { Selections } from '../grafana/variables';
import { type JaegerTrace, serviceOf } from '../jaeger';
import { formatLogLine, type LogDocument } from '../log-lines';

export interface PanelView {
  title: string;
  type: string;
  /** The datasource type it queries: prometheus, elasticsearch or jaeger. */
  datasource: string;
  unit: string;
  gridPos: { x: number; y: number; w: number; h: number };
  /** The queries as sent, variables filled. */
  queries: string[];
  error?: string;
  series?: { name: string; points: [number, number][] }[];
  /** Stat panels and instant tables: one value per series or row. */
  values?: { name: string; value: number }[];
  lines?: string[];
  traces?: { traceId: string; root: string; durationMs: number; spans: number }[];
}

/** Grafana's legend: `{{label}}` filled from the series' labels, or all of them. */
export function legendOf(labels: Record<string, string>, format = ''): string {
  if (format)
    return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '').trim();
  const pairs = Object.entries(labels).filter(([name]) => name !== '__name__');
  return pairs.length > 0 ? `{${pairs.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : 'value';
}

const numberOf = (value: string) => Number(value);

function seriesView(results: TargetResult[], legends: string[]) {
  return results.flatMap((result, i) =>
    (result.rows as Series[]).map((row) => ({
      name: legendOf(row.metric, legends[i]),
      points: row.values.map(([t, v]) => [t, numberOf(v)] as [number, number]),
    })),
  );
}

function instantView(results: TargetResult[], legends: string[]) {
  return results.flatMap((result, i) =>
    (result.rows as { metric: Record<string, string>; value: [number, string] }[]).map((row) => ({
      name: legendOf(row.metric, legends[i]),
      value: numberOf(row.value[1]),
    })),
  );
}

function tracesView(results: TargetResult[]) {
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

/** What the panel draws from its targets' results. */
function viewOf(panel: Panel, results: TargetResult[]): Partial<PanelView> {
  const legends = (panel.targets ?? []).map((t) => t.legendFormat ?? '');
  const datasource = panel.datasource?.type;
  if (datasource === 'jaeger') return { traces: tracesView(results) };
  if (panel.type === 'logs') {
    const docs = results.flatMap((r) =>
      (r.rows as { _source: LogDocument }[]).map((hit) => hit._source),
    );
    return { lines: docs.map((doc) => formatLogLine(doc, false).trim()) };
  }
  if (panel.targets?.every((t) => t.instant)) return { values: instantView(results, legends) };
  const series = seriesView(results, legends);
  if (panel.type !== 'stat') return { series };
  return {
    values: series.map((s) => ({ name: s.name, value: s.points.at(-1)?.[1] ?? Number.NaN })),
  };
}

/** Every panel of the dashboard over `range`; a panel whose backend fails carries the reason. */
export async function buildFrame(
  dashboard: Dashboard,
  selections: Selections,
  backends: Backends,
  range: TimeRange,
): Promise<PanelView[]> {
  const panels = expandPanels(dashboard, selections);
  return Promise.all(
    panels.map(async ({ panel, selections: scoped }) => {
      const base = {
        title: panel.title,
        type: panel.type,
        datasource: panel.datasource?.type ?? '',
        unit: panel.fieldConfig?.defaults?.unit ?? 'none',
        gridPos: panel.gridPos ?? { x: 0, y: 0, w: 24, h: 8 },
      };
      try {
        const context = { backends, range, selections: scoped };
        const results = await Promise.all(
          (panel.targets ?? []).map((t) => runTarget(panel, t, context)),
        );
        return { ...base, queries: results.map((r) => r.query), ...viewOf(panel, results) };
      } catch (error) {
        return { ...base, queries: [], error: reasonOf(error) };
      }
    }),
  );
}

/** The first line of why a backend failed, with fetch's cause (connection refused) when it has one. */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return (cause?.message ? `${message}: ${cause.message}` : message).split('\n')[0] as string;
}
