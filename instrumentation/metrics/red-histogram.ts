// A histogram fed once per span, on the app's thread: its series found by one string built from
// the label values, its buckets, sum and count updated in place, the latest exemplar kept per
// bucket as plain fields. prom-client's Histogram validates, hashes the labels twice and makes
// an exemplar object on every observation; this one reads them into prom-client's shape only
// when /metrics is scraped, so the registry serves it as before.

import type { MetricSpec } from './manifest';

type Labels = Record<string, string>;

interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  /** Seconds since the epoch, as prom-client keeps it. */
  timestamp: number;
}

interface Series {
  labels: Labels;
  /** Per bucket, not cumulative; the last slot is +Inf. */
  counts: number[];
  exemplars: (Exemplar | undefined)[];
  sum: number;
  count: number;
}

/** One sample as prom-client's getMetricsAsJSON() gives it. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar?: { labelSet: { trace_id: string; span_id: string }; value: number; timestamp: number };
}

export class RedHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly labelNames: readonly string[];
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();

  constructor(spec: MetricSpec) {
    this.name = spec.name;
    this.help = spec.help;
    this.labelNames = spec.labels;
    this.bounds = spec.buckets ?? [];
  }

  /** `values` in the order of the spec's labels; a sampled span leaves its IDs as the exemplar. */
  observe(values: readonly string[], seconds: number, traceId?: string, spanId?: string): void {
    if (!Number.isFinite(seconds)) return;
    const key = values.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      series = this.newSeries(values);
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > (this.bounds[bucket] ?? Infinity)) bucket++;
    series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += seconds;
    series.count++;
    if (traceId === undefined || spanId === undefined) return;
    const timestamp = Date.now() / 1000;
    const exemplar = series.exemplars[bucket];
    if (exemplar) {
      exemplar.traceId = traceId;
      exemplar.spanId = spanId;
      exemplar.value = seconds;
      exemplar.timestamp = timestamp;
    } else series.exemplars[bucket] = { traceId, spanId, value: seconds, timestamp };
  }

  private newSeries(values: readonly string[]): Series {
    const labels: Labels = {};
    this.labelNames.forEach((name, i) => {
      labels[name] = values[i] ?? '';
    });
    const slots = this.bounds.length + 1;
    return {
      labels,
      counts: new Array(slots).fill(0),
      exemplars: new Array(slots).fill(undefined),
      sum: 0,
      count: 0,
    };
  }

  /** What prom-client's Histogram#get() returns: cumulative buckets, +Inf, sum, count per series. */
  async get() {
    const values: Sample[] = [];
    const exemplarOf = (e: Exemplar | undefined) =>
      e && {
        labelSet: { trace_id: e.traceId, span_id: e.spanId },
        value: e.value,
        timestamp: e.timestamp,
      };
    const bucketName = `${this.name}_bucket`;
    for (const series of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        values.push({
          labels: { le: bound, ...series.labels },
          value: cumulative,
          metricName: bucketName,
          exemplar: exemplarOf(series.exemplars[i]),
        });
      });
      values.push(
        {
          labels: { le: '+Inf', ...series.labels },
          value: series.count,
          metricName: bucketName,
          exemplar: exemplarOf(series.exemplars[this.bounds.length]),
        },
        { labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` },
        { labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` },
      );
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  reset(): void {
    this.series.clear();
  }
}
