// Template variables as Grafana resolves and interpolates them: `label_values()` from
// Prometheus, the saved selection or All, the built-in intervals, and each datasource's format
// for several values (a regex for Prometheus, an OR for Lucene).

import { json } from './http';
import type { Backends, Dashboard, TimeRange, Variable } from './model';

export interface Selection {
  values: string[];
  /** All is selected: Grafana then writes the allValue, if the variable has one. */
  allValue?: string;
  /** Multi-value or with All: Grafana writes it as a regex for Prometheus. */
  multi: boolean;
}

export type Selections = Record<string, Selection>;

const regexSpecials = /[\^$*+?.()|{}[\]]/g;
const luceneSpecials = /[+\-=&|><!(){}[\]^"~*?:\\/]/g;

const formats = {
  prometheus: (values: string[], regex: boolean) => {
    if (!regex) return (values[0] ?? '').replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    // Twice: once for the regex, once for the PromQL string that holds it.
    const escaped = values.map((v) =>
      v.replace(/\\/g, '\\\\\\\\').replace(regexSpecials, '\\\\$&'),
    );
    return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
  },
  elasticsearch: (values: string[]) =>
    values.length === 1
      ? (values[0] ?? '').replace(luceneSpecials, '\\$&')
      : `(${values.map((v) => `"${v.replace(luceneSpecials, '\\$&')}"`).join(' OR ')})`,
  /** Grafana's default glob format, for datasources without one of their own. */
  other: (values: string[]) => (values.length === 1 ? (values[0] ?? '') : `{${values.join(',')}}`),
};

/** A step from Grafana's table of intervals at or above `ms`. */
const niceSteps = [
  1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200,
  86400,
];

/** $__interval, $__rate_interval and $__range for a time range, as Grafana computes them for Prometheus. */
export function builtins(range: TimeRange, scrapeIntervalS: number, maxDataPoints = 1000) {
  const raw = (range.toMs - range.fromMs) / 1000 / maxDataPoints;
  const step = niceSteps.find((s) => s >= raw) ?? 86400;
  const interval = Math.max(step, scrapeIntervalS);
  const rangeS = Math.round((range.toMs - range.fromMs) / 1000);
  return {
    intervalS: interval,
    values: {
      __interval: `${interval}s`,
      __interval_ms: String(interval * 1000),
      __rate_interval: `${Math.max(interval + scrapeIntervalS, 4 * scrapeIntervalS)}s`,
      __range: `${rangeS}s`,
      __range_s: String(rangeS),
    } as Record<string, string>,
  };
}

/** Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` as Grafana does for `datasourceType`. */
export function interpolate(
  text: string,
  selections: Selections,
  datasourceType: string,
  builtinValues: Record<string, string> = {},
): string {
  const format = formats[datasourceType as keyof typeof formats] ?? formats.other;
  return text.replace(
    /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g,
    (whole, plain: string, braced: string, explicitFormat: string, old: string) => {
      const name = plain ?? braced ?? old;
      const builtin = builtinValues[name];
      if (builtin !== undefined) return builtin;
      const selection = selections[name];
      if (!selection) return whole;
      if (selection.allValue !== undefined) return selection.allValue;
      if (explicitFormat === 'raw') return selection.values.join(',');
      return format(selection.values, selection.multi);
    },
  );
}

async function prometheusJson<T>(
  backends: Backends,
  path: string,
  params: URLSearchParams,
): Promise<T> {
  const body = await json<{ status: string; data: T; error?: string }>(
    `${backends.prometheus}${path}?${params}`,
  );
  if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
  return body.data;
}

/** The options of a `label_values()` variable over the time range. */
async function labelValues(query: string, backends: Backends, range: TimeRange): Promise<string[]> {
  const call = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(query.trim());
  if (!call) throw new Error(`not a label_values() query: ${query}`);
  const [, selector, label = ''] = call;
  const params = new URLSearchParams({
    start: String(range.fromMs / 1000),
    end: String(range.toMs / 1000),
  });
  if (!selector) return prometheusJson<string[]>(backends, `/api/v1/label/${label}/values`, params);
  params.append('match[]', selector);
  const series = await prometheusJson<Record<string, string>[]>(backends, '/api/v1/series', params);
  return [...new Set(series.map((s) => s[label]).filter((v): v is string => v !== undefined))];
}

function select(variable: Variable, options: string[]): Selection {
  const multi = Boolean(variable.multi || variable.includeAll);
  const saved = [variable.current?.value ?? []].flat();
  const all = saved.includes('$__all') || (saved.length === 0 && variable.includeAll);
  if (all) return { values: options, allValue: variable.allValue || undefined, multi };
  const kept = saved.filter((v) => options.includes(v));
  return { values: kept.length > 0 ? kept : options.slice(0, 1), multi };
}

/**
 * Every variable of the dashboard, in order (a later one may use an earlier one); `chosen`
 * holds the values a user picked, as in Grafana's drop-down.
 */
export async function resolveVariables(
  dashboard: Dashboard,
  backends: Backends,
  range: TimeRange,
  chosen: Record<string, string[]> = {},
): Promise<Selections> {
  const selections: Selections = {};
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query')
      throw new Error(`variable ${variable.name}: type ${variable.type} is not supported`);
    const picked = chosen[variable.name];
    if (picked) {
      selections[variable.name] = {
        values: picked,
        multi: Boolean(variable.multi || variable.includeAll),
      };
      continue;
    }
    const raw = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    const query = interpolate(raw, selections, 'prometheus');
    let options = await labelValues(query, backends, range);
    const { regex } = variable;
    if (regex) options = options.filter((o) => new RegExp(regex).test(o));
    if (variable.sort === 1) options.sort();
    if (variable.sort === 2) options.sort().reverse();
    selections[variable.name] = select(variable, options);
  }
  return selections;
}
