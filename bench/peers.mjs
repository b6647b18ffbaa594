// The tracers a user would pick instead of obskit, each as its own preload with sampling 1.0,
// sending its traces to the bench's one local sink and nothing else: no metrics, no logs, no
// profiler, no remote or central configuration, no cloud metadata lookups (they would call an
// address off this machine).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { preload, root } from './harness.mjs';

/** OTLP/HTTP, protobuf, to the sink: what obskit and the OpenTelemetry peers share. */
const otlp = (sinkUrl) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
});

/**
 * Each mode: node's arguments before the app, and the environment added to the bench's own.
 * obskit runs as users get it, traces exported and /metrics served (on `metricsPort`: the
 * default 9464 may be another process's here).
 */
export function tracers(sinkUrl, metricsPort) {
  const obskit = { ...otlp(sinkUrl), OBSKIT_METRICS_PORT: String(metricsPort) };
  const compare = process.env.BENCH_COMPARE;
  return {
    none: { args: [], env: {} },
    obskit: { args: preload, env: obskit },
    // Another build of the preload (BENCH_COMPARE=<its instrumentation/ folder>), to measure a
    // change in the same interleaved rounds: BENCH_MODES=obskit,obskit-compare.
    ...(compare ? { 'obskit-compare': { args: ['-r', compare], env: obskit } } : {}),
    // The SDK's span path, kept for one release (OBSKIT_SPAN_PATH=sdk); only when BENCH_MODES names it.
    ...(process.env.BENCH_MODES?.includes('obskit-sdk')
      ? { 'obskit-sdk': { args: preload, env: { ...obskit, OBSKIT_SPAN_PATH: 'sdk' } } }
      : {}),
    'otel sdk-node (http+express)': {
      args: ['-r', join(root, 'bench', 'peers', 'otel-sdk-node.cjs')],
      env: otlp(sinkUrl),
    },
    'auto-instrumentations-node': {
      args: ['-r', '@opentelemetry/auto-instrumentations-node/register'],
      env: {
        ...otlp(sinkUrl),
        // Every detector that reads only this machine; the cloud ones call a metadata address.
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process,serviceinstance,container',
      },
    },
    'elastic-apm-node': {
      args: ['-r', 'elastic-apm-node/start'],
      env: {
        ELASTIC_APM_SERVER_URL: sinkUrl,
        ELASTIC_APM_TRANSACTION_SAMPLE_RATE: '1.0',
        ELASTIC_APM_CENTRAL_CONFIG: 'false',
        ELASTIC_APM_METRICS_INTERVAL: '0s',
        ELASTIC_APM_BREAKDOWN_METRICS: 'false',
        ELASTIC_APM_CLOUD_PROVIDER: 'none',
        ELASTIC_APM_LOG_LEVEL: 'off',
      },
    },
    'dd-trace': {
      args: ['-r', 'dd-trace/init'],
      env: {
        DD_TRACE_AGENT_URL: sinkUrl,
        DD_TRACE_SAMPLE_RATE: '1.0',
        DD_RUNTIME_METRICS_ENABLED: 'false',
        DD_REMOTE_CONFIGURATION_ENABLED: 'false',
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
        DD_TRACE_STARTUP_LOGS: 'false',
        DD_PROFILING_ENABLED: 'false',
        DD_APPSEC_ENABLED: 'false',
        DD_IAST_ENABLED: 'false',
        DD_DATA_STREAMS_ENABLED: 'false',
        DD_CRASHTRACKING_ENABLED: 'false',
        DD_TRACE_STATS_COMPUTATION_ENABLED: 'false',
      },
    },
  };
}

/** `name version` of each peer package, for the figures. */
export function peerVersions() {
  return [
    '@opentelemetry/sdk-node',
    '@opentelemetry/instrumentation-http',
    '@opentelemetry/instrumentation-express',
    '@opentelemetry/auto-instrumentations-node',
    'elastic-apm-node',
    'dd-trace',
  ].map((name) => {
    const manifest = join(root, 'node_modules', name, 'package.json');
    return `${name} ${JSON.parse(readFileSync(manifest, 'utf8')).version}`;
  });
}
