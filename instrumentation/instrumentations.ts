// The only instrumentations the preload loads — each required only when enabled — and the
// settings obskit gives them: route-template names, no middleware spans, redaction.

import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationName, ObskitConfig } from './config';
import { redisCommandOnly } from './redaction';

/** The query parameters OpenTelemetry masks by default, kept when obskit adds its own. */
const defaultRedactedParams = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];

const factories: Record<InstrumentationName, (config: ObskitConfig) => Instrumentation[]> = {
  http: (config) => {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
    const { HttpServerInstrumentation } =
      require('./http-server') as typeof import('./http-server');
    return [
      // Outgoing requests; incoming ones go through obskit's leaner server instrumentation.
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        redactedQueryParams: [...defaultRedactedParams, ...config.redactQueryParams],
      }),
      new HttpServerInstrumentation(),
    ];
  },
  express: () => {
    // Route-template names without a span (or a wrapper) per middleware layer.
    const { ExpressRouteInstrumentation } =
      require('./express-route') as typeof import('./express-route');
    return [new ExpressRouteInstrumentation()];
  },
  grpc: () => {
    const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc');
    return [new GrpcInstrumentation()];
  },
  mongodb: () => {
    const { MongoDBInstrumentation } = require('@opentelemetry/instrumentation-mongodb');
    // Statements keep their shape; every value becomes '?'.
    return [new MongoDBInstrumentation({ enhancedDatabaseReporting: false })];
  },
  ioredis: (config) => {
    const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis');
    return [
      new IORedisInstrumentation(config.redact ? { dbStatementSerializer: redisCommandOnly } : {}),
    ];
  },
  redis: (config) => {
    const { RedisInstrumentation } = require('@opentelemetry/instrumentation-redis');
    return [
      new RedisInstrumentation(config.redact ? { dbStatementSerializer: redisCommandOnly } : {}),
    ];
  },
  winston: () => {
    const { WinstonInstrumentation } = require('@opentelemetry/instrumentation-winston');
    const { ecsLogHook } = require('./logs/correlation');
    // Correlation only, under ECS names: obskit ships log lines itself, over syslog or Fluentd.
    return [new WinstonInstrumentation({ disableLogSending: true, logHook: ecsLogHook })];
  },
};

/** The module each instrumentation patches, for the loaded-too-early check. */
export const patchedModules: Record<InstrumentationName, string[]> = {
  http: ['http', 'https'],
  express: ['express'],
  grpc: ['@grpc/grpc-js'],
  mongodb: ['mongodb'],
  ioredis: ['ioredis'],
  redis: ['redis', '@redis/client'],
  winston: ['winston'],
};

export function createInstrumentations(config: ObskitConfig): Instrumentation[] {
  return config.instrumentations.flatMap((name) => factories[name](config));
}
