// Values in the units Grafana's panels name, as the panels show them.

const scaled = (value: number, base: number, units: string[]) => {
  let i = 0;
  let v = Math.abs(value);
  while (v >= base && i < units.length - 1) {
    v /= base;
    i += 1;
  }
  return `${trim(Math.sign(value) * v)} ${units[i]}`.trimEnd();
};

/** Three significant digits, no trailing zeros. */
const trim = (value: number) => String(Number(value.toPrecision(3)));

function seconds(value: number): string {
  if (value === 0) return '0 s';
  if (Math.abs(value) < 1e-3) return `${trim(value * 1e6)} µs`;
  if (Math.abs(value) < 1) return `${trim(value * 1e3)} ms`;
  return `${trim(value)} s`;
}

const formats = {
  s: seconds,
  reqps: (v) => `${trim(v)} req/s`,
  ops: (v) => `${trim(v)} ops/s`,
  percentunit: (v) => `${trim(v * 100)}%`,
  bytes: (v) => scaled(v, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']),
  short: (v) => scaled(v, 1000, ['', 'K', 'Mil', 'Bil']),
  none: (v) => trim(v),
} satisfies Record<string, (value: number) => string>;

const isUnit = (unit: string): unit is keyof typeof formats => Object.hasOwn(formats, unit);

export function formatValue(value: number, unit = 'none'): string {
  if (!Number.isFinite(value)) return String(value);
  return formats[isUnit(unit) ? unit : 'none'](value);
}
