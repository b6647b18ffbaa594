// The names the preload's variables accept: instrumentations, exporters, samplers, log levels
// and transports, each list once, with its type.

export const instrumentationNames = [
  'http',
  'express',
  'grpc',
  'mongodb',
  'ioredis',
  'redis',
  'winston',
] as const;
export type InstrumentationName = (typeof instrumentationNames)[number];

export const exporterNames = ['otlp', 'jaeger', 'console', 'none'] as const;
export type ExporterName = (typeof exporterNames)[number];

export const otlpProtocols = ['http/protobuf', 'http/json'] as const;
export const otlpCompressions = ['none', 'gzip'] as const;
/** The OTLP TLS files (OTEL_EXPORTER_OTLP_(TRACES_)<name>), which the SDK's HTTP client reads. */
export const otlpTlsFiles = ['CERTIFICATE', 'CLIENT_KEY', 'CLIENT_CERTIFICATE'] as const;

export const samplerNames = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof samplerNames)[number];

/** winston's npm levels, most severe first. */
export const logLevels = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof logLevels)[number];

export const logTransportNames = ['console', 'syslog', 'fluentd'] as const;
export type LogTransportName = (typeof logTransportNames)[number];
