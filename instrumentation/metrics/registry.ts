// The preload's prom-client registry: RED histograms, Node runtime metrics and the telemetry
// pipeline's own counters, all read at scrape time; the app's default registry is served too.

import { getHeapStatistics } from 'node:v8';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type OpenMetricsContentType,
  type Registry,
} from 'prom-client';
import { stats } from '../stats';
import { type MetricSpec, pipeline, runtime } from './manifest';

/** prom-client keeps exemplars only in an OpenMetrics registry; exposition.ts writes both formats. */
export type MetricsRegistry = Registry<OpenMetricsContentType>;

export function histogramOf(spec: MetricSpec, registry: MetricsRegistry): Histogram<string> {
  return new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    buckets: [...(spec.buckets ?? [])],
    enableExemplars: true,
    registers: [registry],
  });
}

/** Counters and gauges read at each scrape: the span pipeline's stats and the heap limit. */
function registerScrapeTimeMetrics(registry: MetricsRegistry): void {
  const counterFrom = (spec: MetricSpec, read: () => number) =>
    new Counter({
      name: spec.name,
      help: spec.help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const gaugeFrom = (spec: MetricSpec, read: () => number) =>
    new Gauge({
      name: spec.name,
      help: spec.help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  counterFrom(pipeline.spansExported, () => stats.spansExported);
  counterFrom(pipeline.spansDropped, () => stats.spansDropped);
  gaugeFrom(pipeline.spanQueueSize, () => stats.spansQueued);
  gaugeFrom(pipeline.spanQueueCapacity, () => stats.spanQueueCapacity);
  gaugeFrom(runtime.heapLimit, () => getHeapStatistics().heap_size_limit);
}

export function populate(registry: MetricsRegistry): void {
  collectDefaultMetrics({ register: registry });
  registerScrapeTimeMetrics(registry);
}
