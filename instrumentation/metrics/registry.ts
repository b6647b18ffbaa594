// The preload's prom-client registry: RED histograms, Node runtime metrics and the telemetry
// pipeline's own counters, all read at scrape time; the app's default registry is served too.

import { getHeapStatistics } from 'node:v8';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  type OpenMetricsContentType,
  type Registry,
} from 'prom-client';
import { type LogTransportStats, stats } from '../stats';
import { type MetricSpec, pipeline, runtime } from './manifest';

/** prom-client keeps exemplars only in an OpenMetrics registry; exposition.ts writes both formats. */
export type MetricsRegistry = Registry<OpenMetricsContentType>;

type Sample = { labels: Record<string, string>; value: number };
/** A value without labels, or one sample per label set. */
type Reading = () => number | Sample[];

const samples = (read: Reading): Sample[] => {
  const value = read();
  return typeof value === 'number' ? [{ labels: {}, value }] : value;
};

/** Counters and gauges read at each scrape: the span pipeline's stats and the heap limit. */
function registerScrapeTimeMetrics(registry: MetricsRegistry): void {
  // The manifest's type decides the instrument; both are refilled from `read` at each scrape.
  const fromStats = (spec: MetricSpec, read: Reading) => {
    const options = {
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [registry],
    };
    if (spec.type === 'counter')
      return new Counter({
        ...options,
        collect() {
          this.reset();
          for (const { labels, value } of samples(read)) this.inc(labels, value);
        },
      });
    return new Gauge({
      ...options,
      collect() {
        this.reset();
        for (const { labels, value } of samples(read)) this.set(labels, value);
      },
    });
  };
  const perTransport = (read: (counters: LogTransportStats) => number) => () =>
    Object.entries(stats.logs).map(([transport, counters]) => ({
      labels: { transport },
      value: read(counters),
    }));
  fromStats(pipeline.spansExported, () => stats.spansExported);
  fromStats(pipeline.spansDropped, () => stats.spansDropped);
  fromStats(pipeline.spanQueueSize, () => stats.spansQueued);
  fromStats(pipeline.spanQueueCapacity, () => stats.spanQueueCapacity);
  fromStats(runtime.heapLimit, () => getHeapStatistics().heap_size_limit);
  fromStats(
    pipeline.logLinesShipped,
    perTransport((c) => c.shipped),
  );
  fromStats(
    pipeline.logLinesDropped,
    perTransport((c) => c.dropped),
  );
  fromStats(
    pipeline.logQueueSize,
    perTransport((c) => c.queued),
  );
  fromStats(
    pipeline.logQueueCapacity,
    perTransport((c) => c.capacity),
  );
}

export function populate(registry: MetricsRegistry): void {
  collectDefaultMetrics({ register: registry });
  registerScrapeTimeMetrics(registry);
}
