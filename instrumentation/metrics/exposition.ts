// Writes prom-client's metrics in either exposition format from one set of instruments:
// OpenMetrics (with exemplars) when the scraper asks for it, Prometheus text 0.0.4 otherwise.

export const openMetricsType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const prometheusType = 'text/plain; version=0.0.4; charset=utf-8';

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  exemplar?: { labelSet: Record<string, string>; value: number; timestamp: number } | null;
}

/** One family as prom-client's getMetricsAsJSON() returns it. */
export interface Metric {
  name: string;
  help: string;
  type: string;
  values: Sample[];
}

/** True when the Accept header asks for OpenMetrics. */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return /application\/openmetrics-text/.test(accept ?? '');
}

const escapeLabel = (value: string | number) =>
  String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelSet(labels: Record<string, string | number>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function number(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

const counterBase = (metric: Metric) => metric.name.replace(/_total$/, '');

/** Counters are `x_total` in both formats; OpenMetrics names the family `x`. */
function familyName(metric: Metric, openMetrics: boolean): string {
  if (metric.type !== 'counter') return metric.name;
  return openMetrics ? counterBase(metric) : `${counterBase(metric)}_total`;
}

function sampleLine(metric: Metric, sample: Sample, openMetrics: boolean): string {
  const name =
    sample.metricName ?? (metric.type === 'counter' ? `${counterBase(metric)}_total` : metric.name);
  let line = `${name}${labelSet(sample.labels)} ${number(sample.value)}`;
  if (openMetrics && sample.exemplar) {
    const { labelSet: exemplarLabels, value, timestamp } = sample.exemplar;
    line += ` # ${labelSet(exemplarLabels)} ${number(value)} ${timestamp}`;
  }
  return line;
}

export function format(metrics: Metric[], openMetrics: boolean): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    const family = familyName(metric, openMetrics);
    lines.push(`# HELP ${family} ${escapeHelp(metric.help)}`, `# TYPE ${family} ${metric.type}`);
    for (const sample of metric.values) lines.push(sampleLine(metric, sample, openMetrics));
  }
  if (openMetrics) lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
