// Edge and discovery: what Traefik serves per router and per service, the endpoints each client
// resolves from etcd, and etcd's own health, so that a failing request can be told apart from a
// missing route, an empty endpoint list or a store without a leader.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { demoMetrics } from '../../../demo-services/metric-specs';
import { edgeMetrics } from './backend-metrics';
import { buildDashboard, serviceLink } from './dashboard';
import { redBelow, statPanel, timeSeries } from './panels';
import { backendQuantile, backendRate } from './promql';
import { promInstant, promRange } from './queries';

const {
  traefikEntrypointRequests,
  traefikRouterRequests,
  traefikRouterDuration,
  traefikServiceRequests,
  traefikServiceDuration,
  etcdHasLeader,
  etcdLeaderChanges,
  etcdDbSize,
  etcdWalFsync,
} = edgeMetrics;

/** Traefik's `code` label: answers of the upstream or of Traefik itself (502, 504). */
const serverErrors = 'code=~"5.."';

/** Rate, 5xx share and latency of what Traefik serves, a line per `by` (router or service). */
function edgePanels(by: string, requests: { name: string }, duration: { name: string }) {
  const total = backendRate(by, requests.name);
  return [
    timeSeries({
      title: `Requests per ${by}`,
      description: `Requests per second Traefik served, by ${by}.`,
      unit: 'reqps',
      span: 8,
      targets: [promRange(total, `{{${by}}}`)],
    }),
    timeSeries({
      title: `5xx per ${by}`,
      description: `Share of the requests of each ${by} answered with a 5xx, by the upstream or by Traefik (502 when no server answers).`,
      unit: 'percentunit',
      span: 8,
      targets: [
        promRange(
          `(${backendRate(by, `${requests.name}{${serverErrors}}`)} or ${total} * 0) / ${total}`,
          `{{${by}}}`,
        ),
      ],
    }),
    timeSeries({
      title: `Latency per ${by}`,
      description: `p50 and p99 of the time Traefik took to answer, by ${by}: the gateway's own time plus the hop.`,
      unit: 's',
      span: 8,
      targets: [0.5, 0.99].map((q) =>
        promRange(backendQuantile(q, by, duration), `{{${by}}} p${q * 100}`),
      ),
    }),
  ];
}

/** 404s per second: an unmatched request has no router label, only its entry point's. */
const notFound = (metric: { name: string }) =>
  `(${backendRate('code', `${metric.name}{code="404"}`)} or vector(0))`;

const unrouted = timeSeries({
  title: 'Requests no router matched',
  description:
    'The 404s of the entry points that no router answered: a request for a route Traefik does not have (a missing etcd key, a wrong Host or path).',
  unit: 'reqps',
  span: 24,
  targets: [
    promRange(
      `clamp_min(sum(${notFound(traefikEntrypointRequests)}) - sum(${notFound(traefikRouterRequests)}), 0)`,
      'unmatched',
    ),
  ],
});

const discovery = [
  timeSeries({
    title: 'Registered endpoints',
    description:
      'Endpoints each client resolves from etcd, by the service it calls (DiscoveryNoEndpoints fires when none has any for 30 s); a series opens the client’s detail dashboard.',
    unit: 'short',
    span: 24,
    id: alertPanels.endpoints,
    thresholds: redBelow(1),
    targets: [
      promRange(
        `max by (service, instance, discovered_service) (${demoMetrics.discoveryEndpoints.name})`,
        '{{service}} {{instance}} → {{discovered_service}}',
      ),
    ],
    links: [{ title: 'Open ${__field.labels.service}', url: serviceLink(uids.serviceDetail) }],
  }),
];

const etcd = [
  statPanel({
    title: 'etcd members with a leader',
    description:
      'Each member scraped: 1 when it sees a leader, red at 0 (etcdNoLeader fires after 1 minute without one).',
    unit: 'none',
    id: alertPanels.etcdLeader,
    thresholds: redBelow(1),
    targets: [promInstant(`max by (job, instance) (${etcdHasLeader.name})`, '{{instance}}')],
  }),
  timeSeries({
    title: 'etcd leader changes',
    description: 'Leader elections seen by each member: frequent ones mean lost heartbeats.',
    unit: 'short',
    span: 6,
    targets: [
      promRange(
        `sum by (job, instance) (changes(${etcdLeaderChanges.name}[$__rate_interval]))`,
        '{{job}} {{instance}}',
      ),
    ],
  }),
  timeSeries({
    title: 'etcd database size',
    description: 'Size of each member’s backend database, before compaction and defragmentation.',
    unit: 'bytes',
    span: 6,
    targets: [promRange(`max by (job, instance) (${etcdDbSize.name})`, '{{job}} {{instance}}')],
  }),
  timeSeries({
    title: 'etcd WAL fsync p99',
    description:
      'How long writing the log to disk takes: above 10 ms, heartbeats are late and leaders change.',
    unit: 's',
    span: 6,
    targets: [
      promRange(backendQuantile(0.99, 'job, instance', etcdWalFsync), '{{job}} {{instance}}'),
    ],
  }),
];

export const edgeDiscovery = () =>
  buildDashboard({
    uid: uids.edgeDiscovery,
    title: 'obskit / Edge and discovery',
    description:
      'Traefik at the edge by router and service, the endpoints the clients find in etcd, and etcd’s health.',
    variables: [],
    rows: [
      {
        title: 'Traefik routers',
        panels: [...edgePanels('router', traefikRouterRequests, traefikRouterDuration), unrouted],
      },
      {
        title: 'Traefik services',
        panels: edgePanels('service', traefikServiceRequests, traefikServiceDuration),
      },
      { title: 'Discovery', panels: discovery },
      { title: 'etcd', panels: etcd },
    ],
  });
