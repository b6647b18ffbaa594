// The dashboards' fixed uids, which links between them name, and the fixed ids of the panels
// behind the alert rules, which the rules' `dashboard` annotations open.

export const uids = {
  servicesOverview: 'obskit-services-overview',
  serviceDetail: 'obskit-service-detail',
  nodejsRuntime: 'obskit-nodejs-runtime',
  telemetryPipeline: 'obskit-telemetry-pipeline',
  alertsSlos: 'obskit-alerts-slos',
  edgeDiscovery: 'obskit-edge-discovery',
  cluster: 'obskit-cluster',
} as const;

/** Ids above the ones Grafana gives in order, so that adding a panel moves none of them. */
export const alertPanels = {
  httpErrors: 101,
  httpLatency: 102,
  grpcErrors: 103,
  databaseErrors: 104,
  eventLoopLag: 111,
  heapRatio: 112,
  spansDropped: 121,
  scrapeTargets: 122,
  endpoints: 131,
  etcdLeader: 132,
  esClusterHealth: 151,
  etcdMembersDown: 152,
  ingesterLag: 153,
  /** One per long window of the SLO alerts (collectors/prometheus/src/slo.ts). */
  burnRate: { '1h': 141, '6h': 142, '1d': 143, '3d': 144 },
} as const;

/** Grafana 12's URL of one panel, viewed alone. */
export const panelUrl = (uid: string, panelId: number, query = '') =>
  `/d/${uid}?viewPanel=panel-${panelId}${query}`;
