// A line chart in box-drawing characters as wide as its panel: each series resampled onto the
// chart's columns over the time range (gaps stay gaps), threshold lines, a time axis beneath.

import type { TimeRange } from '../../clients/grafana/model';
import { paint, type ThresholdLine } from './thresholds';

export interface ChartSeries {
  /** [seconds, value] */
  points: [number, number][];
  color: string;
}

export interface ChartSpec {
  series: ChartSeries[];
  thresholds: ThresholdLine[];
  /** Where annotations fall, in ms: marked on the time axis. */
  marks: number[];
  range: TimeRange;
  width: number;
  /** Rows of the plot, the time axis not counted. */
  rows: number;
  format: (value: number) => string;
  colour: boolean;
}

interface Cell {
  ch: string;
  color?: string;
}

const maxLabelWidth = 10;

/** The value each column shows: the point nearest its middle, if one is within reach. */
export function resample(points: [number, number][], range: TimeRange, columns: number) {
  const fromS = range.fromMs / 1000;
  const dt = (range.toMs - range.fromMs) / 1000 / columns;
  const times = points.map(([t]) => t);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const step = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? dt;
  const reach = Math.max(dt, step) / 2 + 1e-6;
  let j = 0;
  return Array.from({ length: columns }, (_, c) => {
    const middle = fromS + (c + 0.5) * dt;
    const distance = (k: number) => Math.abs((times[k] ?? Number.POSITIVE_INFINITY) - middle);
    while (j + 1 < points.length && distance(j + 1) <= distance(j)) j += 1;
    const point = points[j];
    return point && Math.abs(point[0] - middle) <= reach ? point[1] : Number.NaN;
  });
}

const tickSteps = [
  10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local clock time, with seconds when ticks are less than a minute apart. */
function clock(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/** The time axis under `columns` columns: clock labels at round times, ▲ where `marks` fall. */
export function timeAxis(range: TimeRange, columns: number, marks: number[] = []): string {
  const spanS = (range.toMs - range.fromMs) / 1000;
  const perColumn = spanS / columns;
  const step =
    tickSteps.find((s) => s / perColumn >= (s < 60 ? 10 : 7)) ?? tickSteps.at(-1) ?? 86400;
  const axis = Array.from({ length: columns }, () => ' ');
  const offset = new Date(range.fromMs).getTimezoneOffset() * 60;
  const first = Math.ceil((range.fromMs / 1000 - offset) / step) * step + offset;
  for (let t = first; t <= range.toMs / 1000; t += step) {
    const at = Math.round((t - range.fromMs / 1000) / perColumn);
    const label = clock(t * 1000, step < 60);
    if (at + label.length > columns) break;
    label.split('').forEach((ch, i) => {
      axis[at + i] = ch;
    });
  }
  for (const ms of marks) {
    const at = Math.floor((ms - range.fromMs) / 1000 / perColumn);
    if (at >= 0 && at < columns) axis[at] = '▲';
  }
  return axis.join('');
}

function scale(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  let [min, max] = [Math.min(...finite), Math.max(...finite)];
  if (min === max)
    [min, max] = min === 0 ? [0, 1] : [min - Math.abs(min) / 10, max + Math.abs(max) / 10];
  return [min, max];
}

/** One series on the grid, turning up and down as asciichart draws it. */
function drawSeries(grid: Cell[][], rowsOf: (number | undefined)[], color: string) {
  const set = (r: number, c: number, ch: string) => {
    const cells = grid[r];
    if (cells) cells[c] = { ch, color };
  };
  rowsOf.forEach((row, c) => {
    if (row === undefined) return;
    const previous = rowsOf[c - 1];
    if (previous === undefined || previous === row) {
      set(row, c, '─');
      return;
    }
    const up = row < previous;
    for (let r = Math.min(previous, row) + 1; r < Math.max(previous, row); r += 1) set(r, c, '│');
    set(previous, c, up ? '╯' : '╮');
    set(row, c, up ? '╭' : '╰');
  });
}

/** The chart's lines: value labels and ┤ on the left, then the plot, then the time axis. */
export function plotChart(spec: ChartSpec): string[] {
  const rows = Math.max(2, spec.rows);
  const labelsFor = (min: number, max: number) =>
    Array.from({ length: rows }, (_, r) => spec.format(max - ((max - min) * r) / (rows - 1)));
  const [min, max] = scale(spec.series.flatMap((s) => s.points.map(([, v]) => v)));
  const labels = labelsFor(min, max).map((l) => l.slice(0, maxLabelWidth));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const columns = Math.max(1, spec.width - labelWidth - 1);
  const grid: Cell[][] = Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () => ({ ch: ' ' })),
  );
  const rowOf = (v: number) =>
    Number.isFinite(v) ? Math.round(((max - v) / (max - min)) * (rows - 1)) : undefined;
  for (const line of spec.thresholds) {
    const row = rowOf(line.value);
    if (row === undefined || line.value < min || line.value > max) continue;
    grid[row] = grid[row]?.map(() => ({ ch: line.dashed ? '┄' : '─', color: line.color })) ?? [];
  }
  for (const series of spec.series)
    drawSeries(grid, resample(series.points, spec.range, columns).map(rowOf), series.color);
  const plot = grid.map((cells, r) => {
    const label = (r === 0 || labels[r] !== labels[r - 1] ? (labels[r] ?? '') : '').padStart(
      labelWidth,
    );
    const body = cells.map((cell) => paint(cell.ch, cell.color, spec.colour)).join('');
    return `${label}┤${body}`;
  });
  return [...plot, `${' '.repeat(labelWidth + 1)}${timeAxis(spec.range, columns, spec.marks)}`];
}
