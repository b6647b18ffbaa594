import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { processConfig, resolveConfig } from '../../instrumentation/config';

const resolve = (env: Record<string, string>) => resolveConfig(env, undefined);

test('defaults: OTLP/HTTP protobuf to localhost:4318, parent-based always-on, every instrumentation', () => {
  const { config, warnings } = resolve({});
  assert.deepEqual(warnings, []);
  assert.equal(config.exporter, 'otlp');
  assert.deepEqual(config.otlp, {
    url: 'http://localhost:4318/v1/traces',
    protocol: 'http/protobuf',
    headers: {},
    timeoutMs: 10_000,
    compression: 'none',
    tlsFiles: false,
  });
  assert.equal(config.sampler, 'parentbased_always_on');
  assert.equal(config.samplerRatio, 1);
  assert.deepEqual(config.batch, {
    scheduleDelayMs: 5000,
    exportTimeoutMs: 30_000,
    maxQueueSize: 2048,
    maxExportBatchSize: 512,
  });
  assert.deepEqual(config.instrumentations, [
    'http',
    'express',
    'grpc',
    'mongodb',
    'ioredis',
    'redis',
    'winston',
  ]);
  assert.equal(config.redact, true);
  assert.ok(
    Object.isFrozen(config) &&
      Object.isFrozen(config.otlp) &&
      Object.isFrozen(config.instrumentations),
  );
});

const bad: [string, string, string][] = [
  [
    'OTEL_TRACES_SAMPLER_ARG',
    'abc',
    'OTEL_TRACES_SAMPLER_ARG="abc" is not a number from 0 to 1; using 1',
  ],
  [
    'OTEL_TRACES_SAMPLER_ARG',
    '1.5',
    'OTEL_TRACES_SAMPLER_ARG="1.5" is not a number from 0 to 1; using 1',
  ],
  [
    'OTEL_TRACES_SAMPLER',
    'sometimes',
    `OTEL_TRACES_SAMPLER="sometimes" is not one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio; using "parentbased_always_on"`,
  ],
  [
    'OTEL_BSP_MAX_QUEUE_SIZE',
    '-5',
    'OTEL_BSP_MAX_QUEUE_SIZE="-5" is not an integer from 1 to 1000000; using 2048',
  ],
  [
    'OTEL_BSP_SCHEDULE_DELAY',
    '2.5',
    'OTEL_BSP_SCHEDULE_DELAY="2.5" is not an integer from 0 to 600000; using 5000',
  ],
  [
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'grpc',
    'OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not one of http/protobuf, http/json; using "http/protobuf"',
  ],
  ['OTEL_SDK_DISABLED', 'maybe', 'OTEL_SDK_DISABLED="maybe" is not true or false; using false'],
  [
    'OTEL_TRACES_EXPORTER',
    'zipkin',
    'OTEL_TRACES_EXPORTER names unknown zipkin; known: otlp, jaeger, console, none; using "otlp"',
  ],
  [
    'OTEL_PROPAGATORS',
    'nonsense',
    'OTEL_PROPAGATORS names unknown nonsense; known: tracecontext, baggage, none; using "tracecontext,baggage"',
  ],
  [
    'OTEL_PROPAGATORS',
    'tracecontext,b3',
    'OTEL_PROPAGATORS names unknown b3; known: tracecontext, baggage, none',
  ],
  [
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    'kafka',
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS names unknown kafka; known: http, express, grpc, mongodb, ioredis, redis, winston; using "http,express,grpc,mongodb,ioredis,redis,winston"',
  ],
  [
    'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    'kafka',
    'OTEL_NODE_DISABLED_INSTRUMENTATIONS names unknown kafka; known: http, express, grpc, mongodb, ioredis, redis, winston; using ""',
  ],
  [
    'OBSKIT_LOG_TRANSPORTS',
    'carrier-pigeon',
    'OBSKIT_LOG_TRANSPORTS names unknown carrier-pigeon; known: console, syslog, fluentd; using "console"',
  ],
  [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'not-a-url',
    'OTEL_EXPORTER_OTLP_ENDPOINT="not-a-url" is not an http:// or https:// URL with a host; using "http://localhost:4318"',
  ],
  [
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    '::not a url::',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="::not a url::" is not an http:// or https:// URL with a host; using "http://localhost:4318/v1/traces"',
  ],
  [
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'ftp://collector/v1/traces',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://collector/v1/traces" is not an http:// or https:// URL with a host; using "http://localhost:4318/v1/traces"',
  ],
  [
    'OTEL_EXPORTER_JAEGER_ENDPOINT',
    'not-a-url',
    'OTEL_EXPORTER_JAEGER_ENDPOINT="not-a-url" is not an http:// or https:// URL with a host; using "http://localhost:14268/api/traces"',
  ],
  [
    'OBSKIT_METRICS_HOST',
    'not a host',
    'OBSKIT_METRICS_HOST="not a host" is not a host name or an IP address; using "0.0.0.0"',
  ],
  [
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    'http,kafka',
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS names unknown kafka; known: http, express, grpc, mongodb, ioredis, redis, winston',
  ],
  [
    'OBSKIT_LOG_TRANSPORTS',
    'syslog,kafka',
    'OBSKIT_LOG_TRANSPORTS names unknown kafka; known: console, syslog, fluentd',
  ],
  [
    'OBSKIT_LOG_LEVEL',
    'trace',
    'OBSKIT_LOG_LEVEL="trace" is not one of error, warn, info, http, verbose, debug, silly; using "info"',
  ],
  [
    'OBSKIT_LOG_SYSLOG_URL',
    'http://logs:5140',
    'OBSKIT_LOG_SYSLOG_URL="http://logs:5140" is not a URL tcp://host:port or udp://host:port or tls://host:port; using "tcp://localhost:5140"',
  ],
  [
    'OBSKIT_LOG_FLUENTD_URL',
    'tcp://fluentd',
    'OBSKIT_LOG_FLUENTD_URL="tcp://fluentd" is not a URL tcp://host:port or tls://host:port; using "tcp://localhost:24224"',
  ],
  [
    'OBSKIT_LOG_QUEUE_SIZE',
    '0',
    'OBSKIT_LOG_QUEUE_SIZE="0" is not an integer from 1 to 10000000; using 10000',
  ],
];

for (const [name, value, warning] of bad) {
  test(`${name}=${value}: one warning naming variable, value and default`, () => {
    assert.deepEqual(resolve({ [name]: value }).warnings, [warning]);
  });
}

test('a bad value leaves the default in effect', () => {
  const { config } = resolve({
    OTEL_PROPAGATORS: 'nonsense',
    OBSKIT_LOG_TRANSPORTS: 'carrier-pigeon',
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'kafka',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'not-a-url',
    OTEL_EXPORTER_JAEGER_ENDPOINT: 'not-a-url',
    OBSKIT_METRICS_HOST: 'not a host',
  });
  assert.deepEqual(config.propagators, ['tracecontext', 'baggage']);
  assert.deepEqual(config.logs.transports, ['console']);
  assert.equal(config.instrumentations.length, 7);
  assert.equal(config.otlp.url, 'http://localhost:4318/v1/traces');
  assert.equal(config.jaegerEndpoint, 'http://localhost:14268/api/traces');
  assert.equal(config.metricsHost, '0.0.0.0');
});

test('good values pass: OTEL_PROPAGATORS=none, IPv6 and named hosts, https endpoints', () => {
  const { config, warnings } = resolve({
    OTEL_PROPAGATORS: 'none',
    OBSKIT_METRICS_HOST: '[::1]',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example:4318/v1/traces',
    OTEL_EXPORTER_JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.propagators, []);
  assert.equal(config.metricsHost, '::1');
  assert.equal(config.otlp.url, 'https://collector.example:4318/v1/traces');
  assert.equal(
    resolve({ OBSKIT_METRICS_HOST: 'metrics-1.internal' }).config.metricsHost,
    'metrics-1.internal',
  );
});

test('log defaults: info, console, syslog to localhost:5140, Fluentd to localhost:24224', () => {
  const { logs } = resolve({}).config;
  assert.equal(logs.level, 'info');
  assert.deepEqual(logs.transports, ['console']);
  assert.equal(logs.syslogUrl.href, 'tcp://localhost:5140');
  assert.equal(logs.fluentdUrl.href, 'tcp://localhost:24224');
  assert.equal(logs.fluentdTag, 'obskit');
  assert.equal(logs.queueSize, 10_000);
  const chosen = resolve({ OBSKIT_LOG_TRANSPORTS: 'Syslog, fluentd,syslog' }).config.logs;
  assert.deepEqual(chosen.transports, ['syslog', 'fluentd']);
});

test('the OTLP traces endpoint and protocol win over the general ones', () => {
  const { config } = resolve({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=a%20b,authorization=Basic xyz',
  });
  assert.equal(config.otlp.url, 'http://collector:4318/v1/traces');
  assert.equal(config.otlp.protocol, 'http/protobuf');
  assert.deepEqual(config.otlp.headers, { 'x-tenant': 'a b', authorization: 'Basic xyz' });
  assert.equal(
    resolve({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x/traces' }).config.otlp.url,
    'http://x/traces',
  );
});

test('enabled minus disabled instrumentations', () => {
  const { config } = resolve({
    OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,redis',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'redis',
  });
  assert.deepEqual(config.instrumentations, ['http', 'express']);
});

test('resource attributes are parsed and percent-decoded', () => {
  const { config, warnings } = resolve({
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=core%2Cinfra,broken',
  });
  assert.deepEqual(config.resourceAttributes, {
    'deployment.environment.name': 'prod',
    team: 'core,infra',
  });
  assert.deepEqual(warnings, [
    'OTEL_RESOURCE_ATTRIBUTES has an entry without key=value: "broken"; it is ignored',
  ]);
});

test('the service name comes from OTEL_SERVICE_NAME, else the app package.json, else unknown_service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-app-'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'orders-api', version: '4.5.6' }),
    );
    writeFileSync(join(dir, 'main.js'), '');
    const fromPackage = resolveConfig({}, join(dir, 'main.js')).config;
    assert.deepEqual(
      [fromPackage.serviceName, fromPackage.serviceVersion],
      ['orders-api', '4.5.6'],
    );
    assert.equal(
      resolveConfig({ OTEL_SERVICE_NAME: 'billing' }, join(dir, 'main.js')).config.serviceName,
      'billing',
    );
    assert.equal(resolveConfig({}, '/').config.serviceName, 'unknown_service:node');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the process's config is resolved once: the preload and the logger share one frozen object", () => {
  const config = processConfig();
  assert.equal(processConfig(), config);
  assert.ok(Object.isFrozen(config));
});

test('OTLP compression and TLS files: the per-signal variable wins; a bad compression is one warning', () => {
  const gzip = resolve({
    OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
    OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
  });
  assert.equal(gzip.config.otlp.compression, 'gzip');
  assert.equal(
    resolve({ OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: '/k.pem' }).config.otlp.tlsFiles,
    true,
  );
  const bad = resolve({ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' });
  assert.equal(bad.config.otlp.compression, 'none');
  assert.equal(bad.warnings.length, 1);
  assert.match(
    bad.warnings[0] ?? '',
    /OTEL_EXPORTER_OTLP_COMPRESSION="brotli" is not one of none, gzip/,
  );
});
