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

export const knownBackendMetrics: readonly BackendMetric[] = [
  ...Object.values(prometheusSeries),
  ...Object.values(backendMetrics),
];
