// Every obskit dashboard, by the file it is generated into (dashboards/grafana/dashboards/).

import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertsSlos } from './alerts-slos';
import { cluster } from './cluster';
import { edgeDiscovery } from './edge-discovery';
import { nodejsRuntime } from './nodejs-runtime';
import { serviceDetail } from './service-detail';
import { servicesOverview } from './services-overview';
import { telemetryPipeline } from './telemetry-pipeline';

export const dashboards: Record<string, () => Dashboard> = {
  'services-overview.json': servicesOverview,
  'service-detail.json': serviceDetail,
  'nodejs-runtime.json': nodejsRuntime,
  'telemetry-pipeline.json': telemetryPipeline,
  'alerts-slos.json': alertsSlos,
  'edge-discovery.json': edgeDiscovery,
  'cluster.json': cluster,
};

/** A dashboard as the committed file holds it. */
export const dashboardJson = (dashboard: Dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`;
