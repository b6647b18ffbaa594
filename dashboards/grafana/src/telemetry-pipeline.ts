// Telemetry pipeline: obskit's own health, from the span and log queues in each service to the
// backends that receive them, so that a gap in a graph can be told from a gap in the data.

import { type MetricSpec, pipeline } from '../../../instrumentation/metrics/manifest';
import { backendMetrics, prometheusSeries } from './backend-metrics';
import { buildDashboard } from './dashboard';
import { tablePanel, timeSeries } from './panels';
import { series, sumRate } from './promql';
import { promInstant, promRange } from './queries';
import { uids } from './uids';
import { serviceVariable } from './variables';

/** Items in flight and lost per second, then what waits in the queue against its capacity. */
function pipelineStage(
  what: string,
  by: string,
  flow: Record<string, MetricSpec>,
  queue: [MetricSpec, MetricSpec],
  capacityVariable: string,
) {
  const legend = by
    .split(', ')
    .map((label) => `{{${label}}}`)
    .join(' ');
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
      title: `${what} queue`,
      description: `${what} waiting for the backend against the queue’s capacity (${capacityVariable}).`,
      unit: 'short',
      targets: [
        promRange(series(queue[0]), `queued ${legend} {{instance}}`),
        promRange(series(queue[1]), `capacity ${legend} {{instance}}`),
      ],
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
];

const { up, scrapeDuration } = prometheusSeries;

const backends = [
  tablePanel({
    title: 'Scrape targets',
    description:
      'Every target Prometheus scrapes: 1 is up, 0 is down (TargetDown fires after 1 minute).',
    unit: 'none',
    targets: [promInstant(`sum by (job, instance, service) (${up.name})`)],
  }),
  timeSeries({
    title: 'Scrape duration',
    description: 'How long each scrape took, by job: a slow /metrics shows here first.',
    unit: 's',
    targets: [promRange(`max by (job) (${scrapeDuration.name})`, '{{job}}')],
  }),
  timeSeries({
    title: 'Jaeger: spans received and refused',
    description: 'Spans per second Jaeger’s receivers accepted and refused, by transport.',
    unit: 'short',
    targets: [
      promRange(
        `sum by (transport) (rate(${backendMetrics.jaegerAcceptedSpans.name}[$__rate_interval]))`,
        'accepted {{transport}}',
      ),
      promRange(
        `sum by (transport) (rate(${backendMetrics.jaegerRefusedSpans.name}[$__rate_interval]))`,
        'refused {{transport}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Prometheus and Alertmanager',
    description:
      'Series in Prometheus’ head block, rule evaluations that failed, and alerts Alertmanager holds.',
    unit: 'short',
    targets: [
      promRange(`sum(${backendMetrics.prometheusHeadSeries.name})`, 'head series'),
      promRange(
        `sum(rate(${backendMetrics.prometheusRuleFailures.name}[$__rate_interval]))`,
        'rule failures/s',
      ),
      promRange(`sum by (state) (${backendMetrics.alertmanagerAlerts.name})`, 'alerts {{state}}'),
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
