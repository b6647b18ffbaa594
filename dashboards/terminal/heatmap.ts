// A heatmap in shade characters: one row per bucket (the highest on top, neighbours summed
// when there are more buckets than rows), one column per slice of the time range, darker where
// more fell; the time axis beneath, as the line chart has it.

import type { Bucket } from '../../clients/grafana/frames';
import type { TimeRange } from '../../clients/grafana/model';
import { resample, timeAxis } from './chart';

export const shades = [' ', '░', '▒', '▓', '█'];

export interface HeatmapSpec {
  buckets: Bucket[];
  range: TimeRange;
  width: number;
  rows: number;
  /** A bucket's bound as the y axis shows it. */
  format: (bound: string) => string;
}

/** Buckets grouped so that they fit `rows`, each group named by its highest bound. */
function grouped(buckets: Bucket[], rows: number, columns: number, range: TimeRange) {
  const size = Math.ceil(buckets.length / Math.max(1, rows));
  const groups: { le: string; counts: number[] }[] = [];
  for (let i = 0; i < buckets.length; i += size) {
    const members = buckets.slice(i, i + size);
    const counts = members
      .map((b) => resample(b.points, range, columns))
      .reduce((sum, next) => sum.map((v, c) => (Number.isFinite(v) ? v : 0) + (next[c] || 0)));
    groups.push({ le: members.at(-1)?.le ?? '', counts });
  }
  return groups.reverse();
}

/** The shade of `count` against the largest count of the map: blank for none. */
export const shadeOf = (count: number, max: number) => {
  const level =
    !(count > 0) || max <= 0
      ? 0
      : Math.min(shades.length - 1, 1 + Math.floor((count / max) * (shades.length - 1)));
  return shades[level] ?? ' ';
};

export function plotHeatmap(spec: HeatmapSpec): string[] {
  const labels = (columnsGuess: number) =>
    grouped(spec.buckets, spec.rows, columnsGuess, spec.range).map((g) => spec.format(g.le));
  const labelWidth = Math.max(...labels(1).map((l) => l.length), 1);
  const columns = Math.max(1, spec.width - labelWidth - 1);
  const groups = grouped(spec.buckets, spec.rows, columns, spec.range);
  const max = Math.max(0, ...groups.flatMap((g) => g.counts.filter(Number.isFinite)));
  const lines = groups.map(
    (g) =>
      `${spec.format(g.le).padStart(labelWidth)}┤${g.counts.map((c) => shadeOf(c, max)).join('')}`,
  );
  return [...lines, `${' '.repeat(labelWidth + 1)}${timeAxis(spec.range, columns)}`];
}
