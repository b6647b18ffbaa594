// Services overview: for each service, the rate, errors and duration (RED) of the HTTP
// requests and gRPC calls it serves; a series opens the service's detail dashboard.

import { type MetricSpec, red } from '../../../instrumentation/metrics/manifest';
import { buildDashboard, serviceLink } from './dashboard';
import { type PlotSpec, timeSeries } from './panels';
import { errorRatio, grpcErrors, httpServerErrors, quantile, requestRate } from './promql';
import { promRange } from './queries';
import { uids } from './uids';
import { serviceVariable } from './variables';

const detailLink = [
  { title: 'Open ${__field.labels.service}', url: serviceLink(uids.serviceDetail) },
];

/** Rate, errors and duration of what a service serves, one panel each, a line per service. */
function redPanels(kind: string, metric: MetricSpec, bad: string): PlotSpec[] {
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
      description: `Share of ${kind.toLowerCase()} that failed (${bad}), by service.`,
      unit: 'percentunit',
      span: 8,
      targets: [promRange(errorRatio('service', metric, bad), '{{service}}')],
      links: detailLink,
    },
    {
      title: `${kind} duration`,
      description: `p50, p95 and p99 of ${kind.toLowerCase()}, by service; the dots are exemplars: each opens its trace.`,
      unit: 's',
      span: 8,
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
    rows: [
      {
        title: 'HTTP servers',
        panels: redPanels('HTTP requests', red.httpServer, httpServerErrors).map(timeSeries),
      },
      {
        title: 'gRPC servers',
        panels: redPanels('gRPC calls', red.rpcServer, grpcErrors).map(timeSeries),
      },
    ],
  });
