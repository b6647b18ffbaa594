// Services overview: for each service, the rate, errors and duration (RED) of the HTTP
// requests and gRPC calls it serves, each with the line its alert fires at; a series opens the
// service's detail dashboard.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { type MetricSpec, red } from '../../../instrumentation/metrics/manifest';
import { alertThreshold } from './alert-rules';
import { serviceAnnotations } from './annotations';
import { buildDashboard, serviceLink } from './dashboard';
import { type PlotSpec, redFrom, timeSeries } from './panels';
import { errorRatio, grpcErrors, httpServerErrors, quantile, requestRate } from './promql';
import { promRange } from './queries';
import { serviceVariable } from './variables';

const detailLink = [
  { title: 'Open ${__field.labels.service}', url: serviceLink(uids.serviceDetail) },
];

interface RedKind {
  kind: string;
  metric: MetricSpec;
  bad: string;
  /** The alert on the error ratio, and the panel id its URL opens. */
  errors: { alert: string; id: number };
  /** The alert on p99, if the kind has one. */
  latency?: { alert: string; id: number };
}

/** Rate, errors and duration of what a service serves, one panel each, a line per service. */
function redPanels({ kind, metric, bad, errors, latency }: RedKind): PlotSpec[] {
  return [
    {
      title: `${kind} rate`,
      description: `${kind} served per second, by service.`,
      unit: 'reqps',
      span: 8,
      targets: [promRange(requestRate('service', metric), '{{service}}')],
      links: detailLink,
    },
    {
      title: `${kind} errors`,
      description: `Share of ${kind.toLowerCase()} that failed (${bad}), by service; the dashed line is where ${errors.alert} fires.`,
      unit: 'percentunit',
      span: 8,
      id: errors.id,
      thresholds: redFrom(alertThreshold(errors.alert)),
      targets: [promRange(errorRatio('service', metric, bad), '{{service}}')],
      links: detailLink,
    },
    {
      title: `${kind} duration`,
      description: `p50, p95 and p99 of ${kind.toLowerCase()}, by service; the dots are exemplars: each opens its trace.${latency ? ` The dashed line is where ${latency.alert} fires (p99).` : ''}`,
      unit: 's',
      span: 8,
      ...(latency ? { id: latency.id, thresholds: redFrom(alertThreshold(latency.alert)) } : {}),
      targets: [0.5, 0.95, 0.99].map((q) =>
        promRange(quantile(q, 'service', metric), `{{service}} p${q * 100}`, true),
      ),
      links: detailLink,
    },
  ];
}

export const servicesOverview = () =>
  buildDashboard({
    uid: uids.servicesOverview,
    title: 'obskit / Services overview',
    description: 'Rate, errors and duration of every instrumented service.',
    variables: [serviceVariable()],
    annotations: serviceAnnotations(),
    rows: [
      {
        title: 'HTTP servers',
        panels: redPanels({
          kind: 'HTTP requests',
          metric: red.httpServer,
          bad: httpServerErrors,
          errors: { alert: 'HighHttpErrorRatio', id: alertPanels.httpErrors },
          latency: { alert: 'HighHttpLatencyP99', id: alertPanels.httpLatency },
        }).map(timeSeries),
      },
      {
        title: 'gRPC servers',
        panels: redPanels({
          kind: 'gRPC calls',
          metric: red.rpcServer,
          bad: grpcErrors,
          errors: { alert: 'HighGrpcErrorRatio', id: alertPanels.grpcErrors },
        }).map(timeSeries),
      },
    ],
  });
