// A dashboard's Prometheus annotations as Grafana runs them: the expression over the range at
// the annotation's step, an event where a series is non-zero (consecutive steps one region),
// titled and described from its labels, on the panels its filter names.

import { type Labels, prometheusName, sampleValue } from './frames';
import { json } from './http';
import type { Annotation, Backends, Dashboard, Panel, TimeRange } from './model';
import { builtins, interpolate, type Selections } from './variables';

export interface AnnotationEvent {
  /** The annotation query's name. */
  name: string;
  timeMs: number;
  timeEndMs: number;
  title: string;
  text: string;
  tags: string[];
  color?: string;
}

const stepSeconds = (step = '60s') => {
  const match = /^(\d+)([smhd]?)$/.exec(step.trim());
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match?.[2] ?? 's'] ?? 1;
  return match ? Number(match[1]) * unit : 60;
};

/**
 * Grafana's events of one series: its times where the value is above zero (with
 * useValueForTime, the values are the times), those a step apart or less one region.
 */
export function regions(
  values: [number, string][],
  stepS: number,
  useValueForTime = false,
): [number, number][] {
  const active = values
    .map(([t, v]): [number, number] =>
      useValueForTime ? [Math.floor(sampleValue(v)), 1] : [t * 1000, sampleValue(v)],
    )
    .filter(([, v]) => v > 0)
    .map(([t]) => t);
  const found: [number, number][] = [];
  for (const t of active) {
    const last = found.at(-1);
    if (last && last[1] + stepS * 1000 >= t) last[1] = t;
    else found.push([t, t]);
  }
  return found;
}

/** Grafana's Prometheus annotation queries the dashboard enables: its built-in one is Grafana's own. */
export const prometheusAnnotations = (dashboard: Dashboard) =>
  (dashboard.annotations?.list ?? []).filter(
    (a) => a.enable !== false && !a.builtIn && a.datasource?.type === 'prometheus' && a.expr,
  );

const fill = (format: string | undefined, labels: Labels) =>
  format ? prometheusName(labels, format) : '';

async function runAnnotation(
  annotation: Annotation,
  backends: Backends,
  range: TimeRange,
  selections: Selections,
): Promise<AnnotationEvent[]> {
  const stepS = stepSeconds(annotation.step);
  const { values } = builtins(range, backends.scrapeIntervalS);
  const query = interpolate(annotation.expr ?? '', selections, 'prometheus', values);
  const params = new URLSearchParams({
    query,
    start: String(Math.floor(range.fromMs / 1000 / stepS) * stepS),
    end: String(range.toMs / 1000),
    step: String(stepS),
  });
  const answer = await json<{ data: { result: { metric: Labels; values: [number, string][] }[] } }>(
    `${backends.prometheus}/api/v1/query_range?${params}`,
  );
  const tagKeys = (annotation.tagKeys ?? '').split(',').filter(Boolean);
  return answer.data.result.flatMap(({ metric, values: points }) =>
    regions(points, stepS, annotation.useValueForTime).map(([from, to]) => ({
      name: annotation.name,
      timeMs: from,
      timeEndMs: to,
      title: fill(annotation.titleFormat, metric),
      text: fill(annotation.textFormat, metric),
      tags: tagKeys.map((key) => metric[key.trim()] ?? '').filter(Boolean),
      color: annotation.iconColor,
    })),
  );
}

/** Every event of the dashboard's annotations over the range, oldest first. */
export async function runAnnotations(
  dashboard: Dashboard,
  backends: Backends,
  range: TimeRange,
  selections: Selections,
): Promise<{ annotation: Annotation; events: AnnotationEvent[] }[]> {
  return Promise.all(
    prometheusAnnotations(dashboard).map(async (annotation) => ({
      annotation,
      // An event before the range (a process started earlier) is not drawn.
      events: (await runAnnotation(annotation, backends, range, selections))
        .filter((e) => e.timeEndMs >= range.fromMs && e.timeMs <= range.toMs)
        .sort((a, b) => a.timeMs - b.timeMs),
    })),
  );
}

/** Whether Grafana draws the annotation on the panel: time-based panels its filter keeps. */
export function drawsOn(annotation: Annotation, panel: Panel): boolean {
  if (!['timeseries', 'heatmap', 'state-timeline', 'barchart'].includes(panel.type)) return false;
  const ids = annotation.filter?.ids;
  if (!ids || ids.length === 0) return true;
  const listed = panel.id !== undefined && ids.includes(panel.id);
  return annotation.filter?.exclude ? !listed : listed;
}
