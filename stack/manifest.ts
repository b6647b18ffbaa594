// The one place where the local stack's backends, their pinned versions and ports are declared.
// compose/ uses the same versions and the same port numbers.

/** A Debian package, checked after install against the version prefix we test with. */
export interface DebianPackage {
  name: string;
  versionPrefix: string;
}

/** How a backend's software reaches the machine. */
export type Source =
  | { kind: 'debian'; packages: DebianPackage[] }
  | {
      kind: 'go-module';
      module: string;
      version: string;
      /** Package to build inside the downloaded module, whose go.mod (with replaces) applies. */
      package: string;
      binary: string;
    }
  | { kind: 'go-main'; dir: string; binary: string }
  | { kind: 'maven-zip'; artifact: string; version: string; unpackedDir: string };

export interface Port {
  name: string;
  port: number;
  protocol: 'tcp' | 'tcp+udp';
}

export interface BackendSpec {
  name: string;
  /** Host name of the backend inside compose; the local stack maps it to 127.0.0.1. */
  host: string;
  version: string;
  source: Source;
  ports: Port[];
}

export const backends: readonly BackendSpec[] = [
  {
    name: 'jaeger',
    host: 'jaeger',
    // v2.13.0's cmd/jaeger. Its module tag is v1.76.0 (v2 tags are not valid module versions) and
    // the module proxy serves tags only; building inside the module keeps its replace directives.
    version: '2.13.0',
    source: {
      kind: 'go-module',
      module: 'github.com/jaegertracing/jaeger',
      version: 'v1.76.0',
      package: './cmd/jaeger',
      binary: 'jaeger',
    },
    ports: [
      { name: 'otlp-grpc', port: 4317, protocol: 'tcp' },
      { name: 'otlp-http', port: 4318, protocol: 'tcp' },
      { name: 'thrift-http', port: 14268, protocol: 'tcp' },
      { name: 'query', port: 16686, protocol: 'tcp' },
      { name: 'query-grpc', port: 16685, protocol: 'tcp' },
      { name: 'health', port: 13133, protocol: 'tcp' },
      { name: 'metrics', port: 8888, protocol: 'tcp' },
    ],
  },
  {
    name: 'prometheus',
    host: 'prometheus',
    version: '2.42',
    source: { kind: 'debian', packages: [{ name: 'prometheus', versionPrefix: '2.42.' }] },
    ports: [{ name: 'http', port: 9090, protocol: 'tcp' }],
  },
  {
    name: 'alertmanager',
    host: 'alertmanager',
    version: '0.25',
    source: {
      kind: 'debian',
      packages: [{ name: 'prometheus-alertmanager', versionPrefix: '0.25.' }],
    },
    ports: [{ name: 'http', port: 9093, protocol: 'tcp' }],
  },
  {
    name: 'elasticsearch',
    host: 'elasticsearch',
    version: '8.19.9',
    source: {
      kind: 'maven-zip',
      artifact: 'org.elasticsearch.distribution.integ-test-zip:elasticsearch',
      version: '8.19.9',
      unpackedDir: 'elasticsearch-8.19.9',
    },
    ports: [
      { name: 'http', port: 9200, protocol: 'tcp' },
      { name: 'transport', port: 9300, protocol: 'tcp' },
    ],
  },
  {
    name: 'rsyslog',
    host: 'rsyslog',
    version: '8.2302',
    source: {
      kind: 'debian',
      packages: [
        { name: 'rsyslog', versionPrefix: '8.2302.' },
        { name: 'rsyslog-elasticsearch', versionPrefix: '8.2302.' },
      ],
    },
    ports: [{ name: 'syslog', port: 5140, protocol: 'tcp+udp' }],
  },
  {
    // The local stand-in for Fluentd (compose runs Fluentd itself): an OpenTelemetry Collector
    // with the contrib fluent_forward receiver and file exporter, pinned in stack/otelcol/go.mod.
    // It writes what it receives to a file (see forwardedRecordsFile) instead of Elasticsearch.
    name: 'otelcol',
    host: 'fluentd',
    version: '0.164.1',
    source: { kind: 'go-main', dir: 'stack/otelcol', binary: 'otelcol' },
    // UDP on the same port answers the forward protocol's heartbeats, as Fluentd's in_forward does.
    ports: [{ name: 'forward', port: 24224, protocol: 'tcp+udp' }],
  },
  {
    name: 'redis',
    host: 'redis',
    version: '7.0',
    source: { kind: 'debian', packages: [{ name: 'redis-server', versionPrefix: '5:7.0.' }] },
    ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }],
  },
  {
    name: 'ferretdb',
    host: 'mongodb',
    // FerretDB v1.24.0 with its SQLite backend, pinned in stack/ferretdb/go.mod.
    version: '1.24.0',
    source: { kind: 'go-main', dir: 'stack/ferretdb', binary: 'ferretdb' },
    ports: [{ name: 'mongodb', port: 27017, protocol: 'tcp' }],
  },
];

/** The JDK Elasticsearch runs on, from Debian when the machine has none. */
export const jdk = { debianPackage: 'openjdk-17-jre-headless', minimumMajor: 17 };

/** Oldest Go toolchain that builds every Go backend (the collector's modules need 1.26). */
export const minimumGo = '1.26';
