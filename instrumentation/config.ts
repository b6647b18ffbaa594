// The preload's configuration, resolved once from the environment into a frozen object.
// OpenTelemetry's OTEL_* variables where they exist; OBSKIT_* only for what they do not cover.

import { deepFreeze } from '../common/freeze';
import { stackRunDir } from '../common/stack-paths';
import { findAppPackage } from './app-package';
import { type Env, EnvReader } from './env';
import { warnOnce } from './warn';

export * from './config-names';

import {
  type ExporterName,
  exporterNames,
  type InstrumentationName,
  instrumentationNames,
  type LogLevel,
  type LogTransportName,
  logLevels,
  logTransportNames,
  otlpCompressions,
  otlpProtocols,
  otlpTlsFiles,
  type SamplerName,
  samplerNames,
} from './config-names';

export interface ObskitConfig {
  /** OTEL_SDK_DISABLED: the preload does nothing. Default false. */
  readonly disabled: boolean;
  /** OTEL_SERVICE_NAME, else the app's package.json name, else unknown_service:node. */
  readonly serviceName: string;
  /** The app's package.json version, if any. */
  readonly serviceVersion: string | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES. Default none. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** OTEL_TRACES_EXPORTER. Default otlp. */
  readonly exporter: ExporterName;
  readonly otlp: {
    /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. Default http://localhost:4318/v1/traces. */
    readonly url: string;
    /** OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL. Default http/protobuf. */
    readonly protocol: (typeof otlpProtocols)[number];
    /** OTEL_EXPORTER_OTLP_(TRACES_)HEADERS. Default none. */
    readonly headers: Readonly<Record<string, string>>;
    /** OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT in ms. Default 10000. */
    readonly timeoutMs: number;
    /** OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION. Default none. */
    readonly compression: (typeof otlpCompressions)[number];
    /** Whether OTEL_EXPORTER_OTLP_(TRACES_)CERTIFICATE, CLIENT_KEY or CLIENT_CERTIFICATE names a file: the SDK's HTTP client reads them. */
    readonly tlsFiles: boolean;
  };
  /** OTEL_EXPORTER_JAEGER_ENDPOINT: Jaeger's thrift HTTP collector. Default http://localhost:14268/api/traces. */
  readonly jaegerEndpoint: string;
  /** OTEL_TRACES_SAMPLER. Default parentbased_always_on. */
  readonly sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the traceidratio samplers. Default 1. */
  readonly samplerRatio: number;
  readonly batch: {
    /** OTEL_BSP_SCHEDULE_DELAY in ms. Default 5000. */
    readonly scheduleDelayMs: number;
    /** OTEL_BSP_EXPORT_TIMEOUT in ms. Default 30000. */
    readonly exportTimeoutMs: number;
    /** OTEL_BSP_MAX_QUEUE_SIZE: spans held before new ones are dropped (and counted). Default 2048. */
    readonly maxQueueSize: number;
    /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE. Default 512. */
    readonly maxExportBatchSize: number;
  };
  /** OTEL_PROPAGATORS. Default tracecontext,baggage. */
  readonly propagators: readonly ('tracecontext' | 'baggage')[];
  /** OTEL_NODE_ENABLED_INSTRUMENTATIONS minus OTEL_NODE_DISABLED_INSTRUMENTATIONS. Default all. */
  readonly instrumentations: readonly InstrumentationName[];
  /** OTEL_LOG_LEVEL: OpenTelemetry's own diagnostics. Default none. */
  readonly logLevel: 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
  /** OBSKIT_DIAG: print what the preload set up and patched. Default false (true at debug). */
  readonly diagnostics: boolean;
  /** OBSKIT_REDACT: scrub secrets from spans. Default true. */
  readonly redact: boolean;
  /** OBSKIT_REDACT_QUERY_PARAMS: more query parameter names to mask. Default none. */
  readonly redactQueryParams: readonly string[];
  /** OBSKIT_SHUTDOWN_TIMEOUT_MS: how long exit waits for the last spans. Default 2000. */
  readonly shutdownTimeoutMs: number;
  /** OBSKIT_METRICS_PORT: where /metrics is served; 0 turns metrics off. Default 9464. */
  readonly metricsPort: number;
  /** OBSKIT_METRICS_HOST: the address /metrics listens on. Default 0.0.0.0. */
  readonly metricsHost: string;
  readonly metricsRegistration: {
    /** OBSKIT_METRICS_REGISTER: list /metrics with the local stack's Prometheus while it runs. Default true. */
    readonly enabled: boolean;
    /** OBSKIT_RUN_DIR (else OBSKIT_HOME/run): the local stack whose Prometheus is told. */
    readonly runDir: string;
  };
  readonly logs: LogsConfig;
  /** OBSKIT_SPAN_PATH: lean (obskit's own spans, written to shared memory) or sdk (the SDK's, for one release). Default lean. */
  readonly spanPath: 'lean' | 'sdk';
}

/** The obskit logger (`require('obskit/logger')`). */
export interface LogsConfig {
  /** OBSKIT_LOG_LEVEL: the most verbose level written. Default info. */
  readonly level: LogLevel;
  /** OBSKIT_LOG_TRANSPORTS: where lines go, any of console, syslog, fluentd. Default console. */
  readonly transports: readonly LogTransportName[];
  /** OBSKIT_LOG_SYSLOG_URL: tcp:// (octet-counted RFC 5424), udp:// or tls://. Default tcp://localhost:5140. */
  readonly syslogUrl: URL;
  /** OBSKIT_LOG_FLUENTD_URL: tcp:// or tls:// to a Fluentd forward input. Default tcp://localhost:24224. */
  readonly fluentdUrl: URL;
  /** OBSKIT_LOG_FLUENTD_TAG: the Fluentd tag of every line. Default obskit. */
  readonly fluentdTag: string;
  /** OBSKIT_LOG_QUEUE_SIZE: lines a shipping transport holds while its receiver is away. Default 10000. */
  readonly queueSize: number;
}

export interface ResolvedConfig {
  config: ObskitConfig;
  /** One line per bad value; the preload prints each once. */
  warnings: string[];
}

const ms = (max: number) => ({ min: 0, max, integer: true });
const count = (max: number) => ({ min: 1, max, integer: true });

function otlpUrl(read: EnvReader): string {
  const base = read.httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://localhost:4318');
  return read.httpUrl(
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    `${base.replace(/\/+$/, '')}/v1/traces`,
  );
}

/** A signal-specific OTLP variable wins over the general one, as the specification says. */
const otlpVar = (read: EnvReader, name: string) =>
  read.raw(`OTEL_EXPORTER_OTLP_TRACES_${name}`) !== undefined
    ? `OTEL_EXPORTER_OTLP_TRACES_${name}`
    : `OTEL_EXPORTER_OTLP_${name}`;

function enabledInstrumentations(read: EnvReader): InstrumentationName[] {
  const enabled = read.list(
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    instrumentationNames,
    instrumentationNames,
  );
  const disabled = read.list('OTEL_NODE_DISABLED_INSTRUMENTATIONS', instrumentationNames, []);
  return enabled.filter((name) => !disabled.includes(name));
}

/** `none`, as the specification allows, turns propagation off; alone it is no mistake. */
function propagators(read: EnvReader): ('tracecontext' | 'baggage')[] {
  const names = read.list('OTEL_PROPAGATORS', ['tracecontext', 'baggage', 'none'] as const, [
    'tracecontext',
    'baggage',
  ]);
  return names.filter((name) => name !== 'none');
}

function firstExporter(read: EnvReader): ExporterName {
  const listed = read.list('OTEL_TRACES_EXPORTER', exporterNames, ['otlp']);
  if (listed.length > 1)
    read.warnings.push(
      `OTEL_TRACES_EXPORTER names several exporters; using the first, ${listed[0]}`,
    );
  return listed[0] ?? 'otlp';
}

function batchConfig(read: EnvReader): ObskitConfig['batch'] {
  return {
    scheduleDelayMs: read.number('OTEL_BSP_SCHEDULE_DELAY', 5000, ms(600_000)),
    exportTimeoutMs: read.number('OTEL_BSP_EXPORT_TIMEOUT', 30_000, ms(600_000)),
    maxQueueSize: read.number('OTEL_BSP_MAX_QUEUE_SIZE', 2048, count(1_000_000)),
    maxExportBatchSize: read.number('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, count(100_000)),
  };
}

function logsConfig(read: EnvReader): LogsConfig {
  const transports = read.list('OBSKIT_LOG_TRANSPORTS', logTransportNames, ['console']);
  return {
    level: read.oneOf('OBSKIT_LOG_LEVEL', logLevels, 'info'),
    transports: [...new Set(transports)],
    syslogUrl: read.url('OBSKIT_LOG_SYSLOG_URL', ['tcp', 'udp', 'tls'], 'tcp://localhost:5140'),
    fluentdUrl: read.url('OBSKIT_LOG_FLUENTD_URL', ['tcp', 'tls'], 'tcp://localhost:24224'),
    fluentdTag: read.string('OBSKIT_LOG_FLUENTD_TAG', 'obskit'),
    queueSize: read.number('OBSKIT_LOG_QUEUE_SIZE', 10_000, count(10_000_000)),
  };
}

export function resolveConfig(env: Env, mainScript = process.argv[1]): ResolvedConfig {
  const read = new EnvReader(env);
  const app = findAppPackage(mainScript);
  const logLevel = read.oneOf(
    'OTEL_LOG_LEVEL',
    ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'],
    'none',
  );
  const config: ObskitConfig = {
    disabled: read.boolean('OTEL_SDK_DISABLED', false),
    serviceName: read.raw('OTEL_SERVICE_NAME') ?? app.name ?? 'unknown_service:node',
    serviceVersion: app.version,
    resourceAttributes: read.keyValues('OTEL_RESOURCE_ATTRIBUTES'),
    exporter: firstExporter(read),
    otlp: {
      url: otlpUrl(read),
      protocol: read.oneOf(otlpVar(read, 'PROTOCOL'), otlpProtocols, 'http/protobuf'),
      headers: read.keyValues(otlpVar(read, 'HEADERS')),
      timeoutMs: read.number(otlpVar(read, 'TIMEOUT'), 10_000, ms(600_000)),
      compression: read.oneOf(otlpVar(read, 'COMPRESSION'), otlpCompressions, 'none'),
      tlsFiles: otlpTlsFiles.some((name) => read.raw(otlpVar(read, name)) !== undefined),
    },
    jaegerEndpoint: read.httpUrl(
      'OTEL_EXPORTER_JAEGER_ENDPOINT',
      'http://localhost:14268/api/traces',
    ),
    sampler: read.oneOf('OTEL_TRACES_SAMPLER', samplerNames, 'parentbased_always_on'),
    samplerRatio: read.number('OTEL_TRACES_SAMPLER_ARG', 1, { min: 0, max: 1 }),
    batch: batchConfig(read),
    propagators: propagators(read),
    instrumentations: enabledInstrumentations(read),
    logLevel,
    diagnostics: read.boolean(
      'OBSKIT_DIAG',
      logLevel === 'debug' || logLevel === 'verbose' || logLevel === 'all',
    ),
    redact: read.boolean('OBSKIT_REDACT', true),
    redactQueryParams: read.words('OBSKIT_REDACT_QUERY_PARAMS'),
    shutdownTimeoutMs: read.number('OBSKIT_SHUTDOWN_TIMEOUT_MS', 2000, ms(60_000)),
    metricsPort: read.number('OBSKIT_METRICS_PORT', 9464, { min: 0, max: 65535, integer: true }),
    metricsHost: read.host('OBSKIT_METRICS_HOST', '0.0.0.0'),
    metricsRegistration: {
      enabled: read.boolean('OBSKIT_METRICS_REGISTER', true),
      runDir: stackRunDir(env),
    },
    logs: logsConfig(read),
    spanPath: read.oneOf('OBSKIT_SPAN_PATH', ['lean', 'sdk'] as const, 'lean'),
  };
  return { config: deepFreeze(config), warnings: read.warnings };
}

let ofProcess: ObskitConfig | undefined;

/**
 * The process's config, resolved from its environment at the first call, each warning printed
 * once: the preload and the obskit logger share it, so a process reads its variables once.
 */
export function processConfig(): ObskitConfig {
  if (ofProcess) return ofProcess;
  const { config, warnings } = resolveConfig(process.env);
  for (const line of warnings) warnOnce(line, line);
  ofProcess = config;
  return config;
}
