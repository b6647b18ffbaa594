// What a panel's box holds, as lines of text: a line chart (asciichart) with its legend, values,
// table rows, log lines or traces, or the reason it failed. Ink cuts lines wider than the box.

import type { PanelView } from './frame';
import { formatValue } from './units';

// asciichart is CommonJS without types: plot(series, config) gives the chart as text.
const asciichart = require('asciichart') as {
  plot: (
    series: number[][],
    config: { height: number; colors?: string[]; format?: (v: number) => string },
  ) => string;
} & Record<'blue' | 'green' | 'yellow' | 'magenta' | 'cyan', string>;

const colours = [
  asciichart.green,
  asciichart.blue,
  asciichart.yellow,
  asciichart.magenta,
  asciichart.cyan,
];
const legendLines = 3;
const labelWidth = 12;

/** The last points of each series, as many as the chart has columns, then a legend. */
function chartLines(view: PanelView, width: number, height: number, colour: boolean): string[] {
  // asciichart draws no gaps: a point without a value (NaN, a quantile of no requests) is left out.
  const shown = (view.series ?? [])
    .map((s) => ({ ...s, points: s.points.filter(([, v]) => Number.isFinite(v)) }))
    .filter((s) => s.points.length > 0)
    .slice(0, colours.length);
  if (shown.length === 0) return ['No data'];
  const legendCount = Math.min(legendLines, shown.length);
  const chart = asciichart.plot(
    shown.map((s) => s.points.slice(-(width - labelWidth)).map(([, v]) => v)),
    {
      height: Math.max(1, height - legendCount - 1),
      colors: colour ? colours : undefined,
      format: (v) =>
        formatValue(v, view.unit)
          .slice(0, labelWidth - 2)
          .padStart(labelWidth - 2),
    },
  );
  const legend = shown.slice(0, legendCount).map((s, i) => {
    const dot = colour ? `${colours[i]}●\x1b[0m` : '●';
    return `${dot} ${s.name}  ${formatValue(s.points.at(-1)?.[1] ?? Number.NaN, view.unit)}`;
  });
  return [...chart.split('\n'), ...legend];
}

const traceLine = (t: NonNullable<PanelView['traces']>[number]) =>
  `${t.traceId}  ${`${t.durationMs.toFixed(1)} ms`.padStart(10)}  ${t.spans} spans  ${t.root}`;

export function panelLines(view: PanelView, width: number, height: number, colour: boolean) {
  if (view.error) return [`error: ${view.error}`];
  if (view.series) return chartLines(view, width, height, colour);
  const lines =
    view.values?.map((v) => `${formatValue(v.value, view.unit).padStart(12)}  ${v.name}`) ??
    view.lines ??
    view.traces?.map(traceLine) ??
    [];
  return lines.length > 0 ? lines : ['No data'];
}
