// A panel's thresholds as Grafana applies them: the colour of a value (the last step at or
// below it), and the lines a time series draws when its thresholds style asks for them.

import type { FieldDefaults } from '../../clients/grafana/model';

export interface ThresholdLine {
  value: number;
  /** Grafana's colour name or hex. */
  color: string;
  dashed: boolean;
}

const drawnStyles = new Set(['line', 'dashed', 'area', 'line+area', 'dashed+area']);

/** The absolute value of a step: percentage steps are of the field's min..max. */
const absolute = (value: number, defaults: FieldDefaults, min: number, max: number) =>
  defaults.thresholds?.mode === 'percentage' ? min + ((max - min) * value) / 100 : value;

/** The colour Grafana gives `value`: its step's, or undefined without thresholds. */
export function thresholdColor(
  value: number,
  defaults: FieldDefaults = {},
  dataRange: [number, number] = [0, 100],
): string | undefined {
  const steps = defaults.thresholds?.steps ?? [];
  if (steps.length === 0 || !Number.isFinite(value)) return undefined;
  const [min, max] = [defaults.min ?? dataRange[0], defaults.max ?? dataRange[1]];
  let color = steps[0]?.color;
  for (const step of steps.slice(1)) {
    if (step.value !== null && value >= absolute(step.value, defaults, min, max))
      color = step.color;
  }
  return color;
}

/** The lines a time series draws at its threshold steps (the base step has no line). */
export function thresholdLines(
  defaults: FieldDefaults = {},
  dataRange: [number, number] = [0, 100],
): ThresholdLine[] {
  const mode = defaults.custom?.thresholdsStyle?.mode ?? 'off';
  if (!drawnStyles.has(mode)) return [];
  const [min, max] = [defaults.min ?? dataRange[0], defaults.max ?? dataRange[1]];
  return (defaults.thresholds?.steps ?? []).flatMap((step) =>
    step.value === null
      ? []
      : [
          {
            value: absolute(step.value, defaults, min, max),
            color: step.color,
            dashed: mode.startsWith('dashed'),
          },
        ],
  );
}

// Grafana's named colours, by the hue a terminal has for them.
const named: [RegExp, string][] = [
  [/red/, '31'],
  [/green/, '32'],
  [/yellow/, '33'],
  [/blue/, '34'],
  [/purple/, '35'],
  [/orange/, '38;5;208'],
];

/** The ANSI colour code for a Grafana colour; undefined for `text` and `transparent`. */
export function ansiOf(color = ''): string | undefined {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) {
    const [r, g, b] = hex.slice(1).map((h) => Number.parseInt(h, 16));
    return `38;2;${r};${g};${b}`;
  }
  return named.find(([pattern]) => pattern.test(color))?.[1];
}

export const paint = (text: string, color: string | undefined, colour: boolean) => {
  const code = ansiOf(color);
  return colour && code ? `\x1b[${code}m${text}\x1b[0m` : text;
};
