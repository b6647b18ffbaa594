// Metrics, loaded only when OBSKIT_METRICS_PORT is not 0.

import { type OpenMetricsContentType, Registry } from 'prom-client';
import type { ObskitConfig } from '../config';
import { serveMetrics } from './endpoint';
import { RedMetricsSpanProcessor } from './red';
import { histogramOf, type MetricsRegistry, populate } from './registry';

export function startMetricsEndpoint(config: ObskitConfig): RedMetricsSpanProcessor {
  const registry: MetricsRegistry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  populate(registry);
  const red = new RedMetricsSpanProcessor(registry, histogramOf);
  serveMetrics(registry, config.metricsPort, config.metricsHost);
  return red;
}
