// The metrics the dashboards read from the backends themselves and from Prometheus' own
// series: declared once, each with where it is documented, as the preload's are in
// instrumentation/metrics/manifest.ts.

export interface BackendMetric {
  name: string;
  /** The Prometheus job that scrapes it (prometheus.yml), or 'prometheus' for its own series. */
  job: string;
  doc: string;
}

const prometheusDoc =
  'https://prometheus.io/docs/concepts/jobs_instances/#automatically-generated-labels-and-time-series';

export const prometheusSeries = {
  up: { name: 'up', job: 'prometheus', doc: prometheusDoc },
  scrapeDuration: { name: 'scrape_duration_seconds', job: 'prometheus', doc: prometheusDoc },
  alerts: {
    name: 'ALERTS',
    job: 'prometheus',
    doc: 'https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/#inspecting-alerts-during-runtime',
  },
} as const satisfies Record<string, BackendMetric>;

/** Jaeger v2 is an OpenTelemetry Collector: its internal telemetry on :8888. */
const collectorDoc =
  'https://opentelemetry.io/docs/collector/internal-telemetry/#lists-of-internal-metrics';

export const backendMetrics = {
  jaegerAcceptedSpans: {
    name: 'otelcol_receiver_accepted_spans_total',
    job: 'jaeger',
    doc: collectorDoc,
  },
  jaegerRefusedSpans: {
    name: 'otelcol_receiver_refused_spans_total',
    job: 'jaeger',
    doc: collectorDoc,
  },
  jaegerFailedSpans: {
    name: 'otelcol_receiver_failed_spans_total',
    job: 'jaeger',
    doc: collectorDoc,
  },
  jaegerExportFailedSpans: {
    name: 'otelcol_exporter_send_failed_spans_total',
    job: 'jaeger',
    doc: collectorDoc,
  },
  /** Jaeger's Elasticsearch span store: the bulk requests it sent, and those Elasticsearch refused. */
  jaegerBulkAttempts: {
    name: 'jaeger_storage_bulk_index_attempts_total',
    job: 'jaeger',
    doc: 'https://www.jaegertracing.io/docs/latest/deployment/#elasticsearch',
  },
  jaegerBulkErrors: {
    name: 'jaeger_storage_bulk_index_errors_total',
    job: 'jaeger',
    doc: 'https://www.jaegertracing.io/docs/latest/deployment/#elasticsearch',
  },
  prometheusHeadSeries: {
    name: 'prometheus_tsdb_head_series',
    job: 'prometheus',
    doc: 'https://prometheus.io/docs/prometheus/latest/storage/',
  },
  prometheusRuleFailures: {
    name: 'prometheus_rule_evaluation_failures_total',
    job: 'prometheus',
    doc: 'https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/',
  },
  alertmanagerAlerts: {
    name: 'alertmanager_alerts',
    job: 'alertmanager',
    doc: 'https://prometheus.io/docs/alerting/latest/alertmanager/',
  },
} as const satisfies Record<string, BackendMetric>;

const etcdDoc = 'https://etcd.io/docs/v3.4/metrics/';
const traefikDoc = 'https://doc.traefik.io/traefik/observability/metrics/overview/';

/** etcd on its client port, and Traefik on its `traefik` entry point (collectors/traefik/). */
export const edgeMetrics = {
  etcdHasLeader: { name: 'etcd_server_has_leader', job: 'etcd', doc: etcdDoc },
  etcdLeaderChanges: { name: 'etcd_server_leader_changes_seen_total', job: 'etcd', doc: etcdDoc },
  etcdDbSize: { name: 'etcd_mvcc_db_total_size_in_bytes', job: 'etcd', doc: etcdDoc },
  etcdWalFsync: { name: 'etcd_disk_wal_fsync_duration_seconds', job: 'etcd', doc: etcdDoc },
  traefikEntrypointRequests: {
    name: 'traefik_entrypoint_requests_total',
    job: 'traefik',
    doc: traefikDoc,
  },
  traefikRouterRequests: { name: 'traefik_router_requests_total', job: 'traefik', doc: traefikDoc },
  traefikRouterDuration: {
    name: 'traefik_router_request_duration_seconds',
    job: 'traefik',
    doc: traefikDoc,
  },
  traefikServiceRequests: {
    name: 'traefik_service_requests_total',
    job: 'traefik',
    doc: traefikDoc,
  },
  traefikServiceDuration: {
    name: 'traefik_service_request_duration_seconds',
    job: 'traefik',
    doc: traefikDoc,
  },
} as const satisfies Record<string, BackendMetric>;

const esExporterDoc =
  'https://github.com/prometheus-community/elasticsearch_exporter/blob/master/metrics.md';

/** Elasticsearch's cluster health from elasticsearch_exporter (the cluster topology only). */
export const clusterMetrics = {
  esHealthStatus: {
    name: 'elasticsearch_cluster_health_status',
    job: 'elasticsearch',
    doc: esExporterDoc,
  },
  esNodes: {
    name: 'elasticsearch_cluster_health_number_of_nodes',
    job: 'elasticsearch',
    doc: esExporterDoc,
  },
  esUnassignedShards: {
    name: 'elasticsearch_cluster_health_unassigned_shards',
    job: 'elasticsearch',
    doc: esExporterDoc,
  },
} as const satisfies Record<string, BackendMetric>;

const kafkaReceiverDoc =
  'https://github.com/open-telemetry/opentelemetry-collector-contrib/blob/main/receiver/kafkareceiver/documentation.md';
const kafkaExporterDoc =
  'https://github.com/open-telemetry/opentelemetry-collector-contrib/blob/main/exporter/kafkaexporter/documentation.md';

/**
 * The cluster topology's Kafka path, from Jaeger's collector (kafka exporter) and ingester
 * (kafka receiver), both job `jaeger`: there only, so a single-topology stack has none of them.
 */
export const kafkaMetrics = {
  kafkaExporterRecords: {
    name: 'otelcol_kafka_exporter_records_total',
    job: 'jaeger',
    doc: kafkaExporterDoc,
  },
  kafkaReceiverRecords: {
    name: 'otelcol_kafka_receiver_records_total',
    job: 'jaeger',
    doc: kafkaReceiverDoc,
  },
  kafkaReceiverOffsetLag: {
    name: 'otelcol_kafka_receiver_offset_lag_ratio',
    job: 'jaeger',
    doc: kafkaReceiverDoc,
  },
} as const satisfies Record<string, BackendMetric>;

export const knownBackendMetrics: readonly BackendMetric[] = [
  ...Object.values(prometheusSeries),
  ...Object.values(backendMetrics),
  ...Object.values(edgeMetrics),
  ...Object.values(clusterMetrics),
  ...Object.values(kafkaMetrics),
];
