// What the demo services export themselves, beside the preload's metrics in the app's registry
// that /metrics serves: declared once here, read by the services and the dashboards.

import type { MetricSpec } from '../instrumentation/metrics/manifest';

export const demoMetrics = {
  discoveryEndpoints: {
    name: 'discovery_endpoints',
    type: 'gauge',
    help: 'Endpoints a client resolved from etcd for the service it calls (DISCOVERY=etcd).',
    labels: ['discovered_service'],
  },
} as const satisfies Record<string, MetricSpec>;
