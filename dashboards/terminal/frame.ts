// One frame of a dashboard: each panel's targets run as Grafana runs them, turned into what the
// panel draws (series, a value per field, a table, a heatmap, log lines, traces) with its
// thresholds and the annotations on it, or the reason it can't; the same runs, raw, for the tests.

import { type AnnotationEvent, drawsOn, runAnnotations } from '../../clients/grafana/annotations';
import type { Backends, Dashboard, Panel, TimeRange } from '../../clients/grafana/model';
import {
  type Context,
  expandPanels,
  runTarget,
  type TargetResult,
} from '../../clients/grafana/targets';
import type { Selections } from '../../clients/grafana/variables';
import { type ThresholdLine, thresholdLines } from './thresholds';
import { dataOf, type PanelData } from './views';

export interface PanelView extends PanelData {
  title: string;
  type: string;
  /** The datasource type it queries: prometheus, elasticsearch or jaeger. */
  datasource: string;
  unit: string;
  gridPos: { x: number; y: number; w: number; h: number };
  /** The queries as sent, variables filled. */
  queries: string[];
  error?: string;
  /** The threshold lines a time series draws. */
  thresholds?: ThresholdLine[];
  /** The dashboard's annotation events Grafana draws on this panel. */
  annotations?: AnnotationEvent[];
}

type Annotated = Awaited<ReturnType<typeof runAnnotations>>;

/** The annotations over the range, or one that failed as an event naming why. */
async function annotationsOf(
  dashboard: Dashboard,
  backends: Backends,
  range: TimeRange,
  selections: Selections,
): Promise<Annotated> {
  try {
    return await runAnnotations(dashboard, backends, range, selections);
  } catch (error) {
    const events = [
      {
        name: 'annotations',
        timeMs: range.toMs,
        timeEndMs: range.toMs,
        title: `error: ${reasonOf(error)}`,
        text: '',
        tags: [],
      },
    ];
    return [{ annotation: { name: 'annotations' }, events }];
  }
}

/** A panel's targets run as Grafana runs them: a hidden target is left out of the request. */
async function runPanel(panel: Panel, context: Context) {
  const targets = (panel.targets ?? []).filter((t) => !t.hide);
  const results = await Promise.all(targets.map((t) => runTarget(panel, t, context)));
  return { targets, results };
}

/** Each panel Grafana draws, with the selections it is drawn with (a repeated one per value). */
const panelsOf = (dashboard: Dashboard, context: Context) =>
  expandPanels(dashboard, context.selections).map(({ panel, selections }) => ({
    panel,
    context: { ...context, selections },
  }));

async function panelView(panel: Panel, context: Context, annotated: Annotated): Promise<PanelView> {
  const defaults = panel.fieldConfig?.defaults;
  const events = annotated.filter((a) => drawsOn(a.annotation, panel)).flatMap((a) => a.events);
  const base = {
    title: panel.title,
    type: panel.type,
    datasource: panel.datasource?.type ?? '',
    unit: defaults?.unit ?? panel.options?.yAxis?.unit ?? 'none',
    gridPos: panel.gridPos ?? { x: 0, y: 0, w: 24, h: 8 },
    ...(thresholdLines(defaults).length > 0 ? { thresholds: thresholdLines(defaults) } : {}),
    ...(events.length > 0 ? { annotations: events } : {}),
  };
  try {
    const { targets, results } = await runPanel(panel, context);
    return { ...base, queries: results.map((r) => r.query), ...dataOf(panel, targets, results) };
  } catch (error) {
    return { ...base, queries: [], error: reasonOf(error) };
  }
}

/** Every panel of the dashboard over `range`; a panel whose backend fails carries the reason. */
export async function buildFrame(
  dashboard: Dashboard,
  selections: Selections,
  backends: Backends,
  range: TimeRange,
): Promise<PanelView[]> {
  const annotated = await annotationsOf(dashboard, backends, range, selections);
  return Promise.all(
    panelsOf(dashboard, { backends, range, selections }).map(({ panel, context }) =>
      panelView(panel, context, annotated),
    ),
  );
}

/**
 * What the frame's panels are drawn from: every shown target's result, in the order of the
 * panels and their targets; a backend that fails throws.
 */
export async function targetResults(
  dashboard: Dashboard,
  selections: Selections,
  backends: Backends,
  range: TimeRange,
): Promise<TargetResult[]> {
  const runs = await Promise.all(
    panelsOf(dashboard, { backends, range, selections }).map(({ panel, context }) =>
      runPanel(panel, context),
    ),
  );
  return runs.flatMap((run) => run.results);
}

/** The first line of why a backend failed, with fetch's cause (connection refused) when it has one. */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return (cause?.message ? `${message}: ${cause.message}` : message).split('\n')[0] ?? '';
}
