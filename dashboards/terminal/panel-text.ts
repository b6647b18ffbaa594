// What a panel's box holds, as lines of text: a line chart as wide as the box with its time
// axis, threshold lines and legend, the annotations on it, a heatmap, values in their threshold
// colour, a table, log lines or traces, or the reason it failed. Ink cuts lines wider than the box.

import { sampleValue } from '../../clients/grafana/frames';
import type { TimeRange } from '../../clients/grafana/model';
import { plotChart } from './chart';
import type { PanelView } from './frame';
import { plotHeatmap, shades } from './heatmap';
import { paint } from './thresholds';
import { formatValue } from './units';

// Grafana's classic palette, in the order it hands colours to series.
const palette = ['green', 'yellow', 'blue', 'orange', 'red', '#1f78c1', 'purple', '#70dbed'];
const maxLegendLines = 2;
const maxAnnotationLines = 2;

const pad2 = (n: number) => String(n).padStart(2, '0');
const clockOf = (ms: number) => {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
};

/** Entries side by side, as Grafana's list legend packs them, in at most `lines` lines. */
export function packed(entries: string[], width: number, lines: number, plain: string[]) {
  const out: string[] = [];
  let line = '';
  let used = 0;
  for (const [i, entry] of entries.entries()) {
    const length = (plain[i] ?? entry).length;
    if (used > 0 && used + 3 + length > width) {
      if (out.length + 1 === lines) return [...out, `${line}   +${entries.length - i} more`];
      out.push(line);
      [line, used] = ['', 0];
    }
    line += used > 0 ? `   ${entry}` : entry;
    used += (used > 0 ? 3 : 0) + length;
  }
  return line ? [...out, line] : out;
}

function annotationLines(view: PanelView, colour: boolean): string[] {
  const events = (view.annotations ?? []).slice(-maxAnnotationLines);
  return events.map((e) =>
    [paint('▲', e.color ?? 'red', colour), clockOf(e.timeMs), e.name, e.title, e.text]
      .filter(Boolean)
      .join('  '),
  );
}

function chartLines(
  view: PanelView,
  width: number,
  height: number,
  colour: boolean,
  range: TimeRange,
) {
  const shown = (view.series ?? [])
    .filter((s) => s.points.some(([, v]) => Number.isFinite(v)))
    .map((s, i) => ({ ...s, color: palette[i % palette.length] ?? 'green' }));
  if (shown.length === 0) return ['No data'];
  const last = (points: [number, number][]) =>
    points.filter(([, v]) => Number.isFinite(v)).at(-1)?.[1] ?? Number.NaN;
  // The thresholds first: the line an alert fires at stays in view when series are many.
  const entries = [
    ...(view.thresholds ?? []).map((t) => ({
      mark: '┄',
      color: t.color,
      text: ` threshold ${formatValue(t.value, view.unit)}`,
    })),
    ...shown.map((s) => ({
      mark: '●',
      color: s.color,
      text: ` ${s.name}  ${formatValue(last(s.points), view.unit)}`,
    })),
  ];
  const plain = entries.map((e) => `${e.mark}${e.text}`);
  const painted = entries.map((e) => `${paint(e.mark, e.color, colour)}${e.text}`);
  const legend = packed(painted, width, maxLegendLines, plain);
  const notes = annotationLines(view, colour);
  const chart = plotChart({
    series: shown.map((s) => ({ points: s.points, color: s.color })),
    thresholds: view.thresholds ?? [],
    marks: (view.annotations ?? []).map((e) => e.timeMs),
    range,
    width,
    rows: height - 1 - legend.length - notes.length,
    format: (v) => formatValue(v, view.unit),
    colour,
  });
  return [...chart, ...legend, ...notes];
}

function heatmapLines(view: PanelView, width: number, height: number, range: TimeRange) {
  const buckets = view.heatmap ?? [];
  if (!buckets.some((b) => b.points.some(([, v]) => v > 0))) return ['No data'];
  const bound = (le: string) => (le === '+Inf' ? '+Inf' : formatValue(sampleValue(le), view.unit));
  const max = Math.max(...buckets.flatMap((b) => b.points.map(([, v]) => v)));
  return [
    ...plotHeatmap({ buckets, range, width, rows: height - 2, format: bound }),
    `${shades.slice(1).join('')} few to many (at most ${formatValue(max, 'short')} per bucket and step)`,
  ];
}

function tableLines(view: PanelView, width: number): string[] {
  const table = view.table;
  if (!table || table.rows.length === 0) return ['No data'];
  const cell = (v: string | number, i: number) =>
    typeof v === 'number' ? formatValue(v, table.units?.[i] ?? view.unit) : v;
  const cells = [table.columns, ...table.rows.map((r) => r.map(cell))];
  const widths = table.columns.map((_, i) =>
    Math.min(40, Math.max(...cells.map((r) => (r[i] ?? '').length))),
  );
  const line = (r: string[]) =>
    r
      .map((v, i) =>
        typeof table.rows[0]?.[i] === 'number'
          ? v.padStart(widths[i] ?? 0)
          : v.slice(0, widths[i]).padEnd(widths[i] ?? 0),
      )
      .join('  ');
  return cells.map(line).map((l) => l.slice(0, width));
}

const traceLine = (t: NonNullable<PanelView['traces']>[number]) =>
  `${t.traceId}  ${`${t.durationMs.toFixed(1)} ms`.padStart(10)}  ${t.spans} spans  ${t.root}`;

export function panelLines(
  view: PanelView,
  width: number,
  height: number,
  colour: boolean,
  range: TimeRange,
) {
  if (view.error) return [`error: ${view.error}`];
  if (view.series) return chartLines(view, width, height, colour, range);
  if (view.heatmap) return heatmapLines(view, width, height, range);
  if (view.table) return tableLines(view, width);
  const lines =
    view.values?.map(
      (v) => `${paint(formatValue(v.value, view.unit).padStart(12), v.color, colour)}  ${v.name}`,
    ) ??
    view.lines ??
    view.traces?.map(traceLine) ??
    [];
  return lines.length > 0 ? lines : ['No data'];
}
