// Telemetry pipeline: obskit's own health, from the span and log queues in each service to the
// backends that receive them, so that a gap in a graph can be told from a gap in the data.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { type MetricSpec, pipeline } from '../../../instrumentation/metrics/manifest';
import { alertThreshold } from './alert-rules';
import { backendMetrics, prometheusSeries } from './backend-metrics';
import { buildDashboard } from './dashboard';
import { redBelow, redFrom, tablePanel, timeSeries } from './panels';
import { backendRate, series, sumRate } from './promql';
import { promRange, promTable } from './queries';
import { serviceVariable } from './variables';

const legendOf = (by: string) =>
  by
    .split(', ')
    .map((label) => `{{${label}}}`)
    .join(' ');

/** Items in flight and lost per second, then how full the queue is (1: it drops). */
function pipelineStage(
  what: string,
  by: string,
  flow: Record<string, MetricSpec>,
  queue: [MetricSpec, MetricSpec],
  capacityVariable: string,
) {
  const legend = legendOf(by);
  return [
    timeSeries({
      title: `${what} ${Object.keys(flow).join(' and ')}`,
      description: `${what} per second the backend took, and ${what.toLowerCase()} lost (queue full or backend away).`,
      unit: 'short',
      targets: Object.entries(flow).map(([outcome, metric]) =>
        promRange(sumRate(by, metric), `${outcome} ${legend}`),
      ),
    }),
    timeSeries({
      title: `${what} queue fill`,
      description: `The share of the queue’s capacity (${capacityVariable}) in use: at 1 new ${what.toLowerCase()} are dropped.`,
      unit: 'percentunit',
      thresholds: redFrom(0.8, 1),
      targets: [promRange(`${series(queue[0])} / ${series(queue[1])}`, `${legend} {{instance}}`)],
    }),
  ];
}

const services = [
  ...pipelineStage(
    'Spans',
    'service',
    { exported: pipeline.spansExported, dropped: pipeline.spansDropped },
    [pipeline.spanQueueSize, pipeline.spanQueueCapacity],
    'OTEL_BSP_MAX_QUEUE_SIZE',
  ),
  ...pipelineStage(
    'Log lines',
    'service, transport',
    { shipped: pipeline.logLinesShipped, dropped: pipeline.logLinesDropped },
    [pipeline.logQueueSize, pipeline.logQueueCapacity],
    'OBSKIT_LOG_QUEUE_SIZE',
  ),
  timeSeries({
    title: 'Spans dropped in 10 minutes',
    description:
      'Spans each instance lost over the last 10 minutes: TelemetryDroppingSpans fires above the dashed line.',
    unit: 'short',
    span: 24,
    id: alertPanels.spansDropped,
    thresholds: redFrom(alertThreshold('TelemetryDroppingSpans')),
    targets: [
      promRange(
        `sum by (service, instance) (increase(${series(pipeline.spansDropped)}[10m]))`,
        '{{service}} {{instance}}',
      ),
    ],
  }),
];

const { up, scrapeDuration } = prometheusSeries;
const jaeger = backendMetrics;

const backends = [
  tablePanel({
    title: 'Scrape targets',
    description:
      'Every target Prometheus scrapes: 1 is up, 0 is down (red: TargetDown fires after 1 minute).',
    unit: 'none',
    id: alertPanels.scrapeTargets,
    thresholds: redBelow(1),
    targets: [promTable(`sum by (job, instance, service) (${up.name})`)],
  }),
  timeSeries({
    title: 'Scrape duration',
    description: 'How long each scrape took, by job: a slow /metrics shows here first.',
    unit: 's',
    targets: [promRange(`max by (job) (${scrapeDuration.name})`, '{{job}}')],
  }),
  timeSeries({
    title: 'Jaeger: spans received, refused and failed',
    description:
      'Spans per second Jaeger’s receivers accepted, refused (memory limit) and failed to pass on, by transport.',
    unit: 'short',
    targets: [
      promRange(
        backendRate('transport', jaeger.jaegerAcceptedSpans.name),
        'accepted {{transport}}',
      ),
      promRange(backendRate('transport', jaeger.jaegerRefusedSpans.name), 'refused {{transport}}'),
      promRange(backendRate('transport', jaeger.jaegerFailedSpans.name), 'failed {{transport}}'),
    ],
  }),
  timeSeries({
    title: 'Jaeger → Elasticsearch: failed writes',
    description:
      'Spans per second Jaeger could not hand to its span store, and bulk requests per second Elasticsearch refused: a span lost here is in no trace.',
    unit: 'short',
    targets: [
      promRange(
        backendRate('exporter', jaeger.jaegerExportFailedSpans.name),
        'spans not stored {{exporter}}',
      ),
      promRange(backendRate('kind', jaeger.jaegerBulkErrors.name), 'bulk errors {{kind}}'),
      promRange(backendRate('kind', jaeger.jaegerBulkAttempts.name), 'bulk requests {{kind}}'),
    ],
  }),
  timeSeries({
    title: 'Prometheus and Alertmanager',
    description:
      'Series in Prometheus’ head block, rule evaluations that failed, and alerts Alertmanager holds.',
    unit: 'short',
    span: 24,
    targets: [
      promRange(`sum(${jaeger.prometheusHeadSeries.name})`, 'head series'),
      promRange(
        `sum(rate(${jaeger.prometheusRuleFailures.name}[$__rate_interval]))`,
        'rule failures/s',
      ),
      promRange(`sum by (state) (${jaeger.alertmanagerAlerts.name})`, 'alerts {{state}}'),
    ],
  }),
];

export const telemetryPipeline = () =>
  buildDashboard({
    uid: uids.telemetryPipeline,
    title: 'obskit / Telemetry pipeline',
    description:
      'Spans and log lines from each service to the backends, and the backends’ own health.',
    variables: [serviceVariable()],
    rows: [
      { title: 'In the services', panels: services },
      { title: 'In the backends', panels: backends },
    ],
  });
