// The preload (`node -r obskit/instrumentation app.js`): the one module with side effects.
// It never throws into the app: any failure here becomes one warning and an untraced app.

import type { ExportOutcome } from './batch-processor';
import { type ObskitConfig, processConfig } from './config';
import { describeSetup, reportPatches, setUpDiagLogger, warnLoadedTooEarly } from './diagnostics';
import { isExportThread } from './export-thread/role';
import { exporterTarget } from './exporters';
import { createInstrumentations } from './instrumentations';
import { installLastFlush } from './shutdown';
import { startTracing } from './tracing';
import { rateLimitedWarning, warn } from './warn';

const started = Symbol.for('obskit.preload-started');
const exportWarningIntervalMs = 60_000;

function exportReporter(config: ObskitConfig): (outcome: ExportOutcome) => void {
  const warnFailure = rateLimitedWarning(exportWarningIntervalMs);
  const target = exporterTarget(config);
  return ({ ok, error }) => {
    if (!ok) {
      warnFailure(
        `cannot export spans to ${target}: ${error?.message ?? 'unknown error'}; dropping them until it answers (said at most once a minute)`,
      );
    }
  };
}

/** The RED span processor, with /metrics served, unless OBSKIT_METRICS_PORT=0. */
function startMetrics(config: ObskitConfig) {
  if (config.metricsPort === 0) return undefined;
  const { startMetricsEndpoint } = require('./metrics') as typeof import('./metrics');
  return startMetricsEndpoint(config);
}

function start(config: ObskitConfig): void {
  setUpDiagLogger(config);
  warnLoadedTooEarly(config.instrumentations);
  const tracing = startTracing(config, exportReporter(config), startMetrics(config));
  const instrumentations = createInstrumentations(config);
  if (config.diagnostics) reportPatches(instrumentations);
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  registerInstrumentations({ instrumentations });
  // Spans and the obskit logger's queued lines share the exit deadline.
  installLastFlush(tracing.thread, config.shutdownTimeoutMs, tracing.atExit);
  if (config.diagnostics) warn(describeSetup(config, exporterTarget(config)));
}

function main(): void {
  const holder = globalThis as { [started]?: boolean };
  if (holder[started] || isExportThread()) return;
  holder[started] = true;
  try {
    const config = processConfig();
    if (!config.disabled) start(config);
  } catch (error) {
    warn(
      `could not start telemetry, the app runs without it: ${error instanceof Error ? error.message : error}`,
    );
  }
}

main();
