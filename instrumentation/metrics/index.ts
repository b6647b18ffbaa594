// Metrics, started unless OBSKIT_METRICS_PORT is 0. Only the listening socket is set up at
// startup; prom-client and the instruments load shortly after, or at the first use if sooner,
// so that they add nothing to the time the app takes to start.

import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ObskitConfig } from '../config';
import type { LeanSpan } from '../lean/span';
import { warn } from '../warn';
import { serveMetrics } from './endpoint';
import type { RedMetricsSpanProcessor } from './red';
import { registerWithLocalStack } from './registration';
import type { MetricsRegistry } from './registry';

const loadDelayMs = 500;

interface Metrics {
  registry: MetricsRegistry;
  red: RedMetricsSpanProcessor;
}

function createMetrics(): Metrics {
  const { Registry } = require('prom-client') as typeof import('prom-client');
  const { populate } = require('./registry') as typeof import('./registry');
  const { RedMetricsSpanProcessor } = require('./red') as typeof import('./red');
  const registry: MetricsRegistry = new Registry();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  populate(registry);
  return { registry, red: new RedMetricsSpanProcessor(registry) };
}

/** Feeds the RED histograms: from SDK spans (a span processor) or lean spans (`observe`). */
export interface RedSpanProcessor extends SpanProcessor {
  observe(span: LeanSpan): void;
}

/** Serves /metrics and returns the span processor that feeds the RED histograms. */
export function startMetricsEndpoint(config: ObskitConfig): RedSpanProcessor {
  let metrics: Metrics | undefined;
  let failed = false;
  // Runs from a timer and from span ends: it must never throw into the app.
  const load = () => {
    if (!metrics && !failed) {
      try {
        metrics = createMetrics();
      } catch (error) {
        failed = true;
        warn(`metrics are off: ${error instanceof Error ? error.message : error}`);
      }
    }
    return metrics;
  };
  setTimeout(load, loadDelayMs).unref();
  serveMetrics(
    () => load()?.registry,
    config.metricsPort,
    config.metricsHost,
    (address) => registerWithLocalStack(config, address),
  );
  return {
    onStart: () => {},
    onEnd: (span: ReadableSpan) => load()?.red.onEnd(span),
    observe: (span: LeanSpan) => load()?.red.observe(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
