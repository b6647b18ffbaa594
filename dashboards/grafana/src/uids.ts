// The dashboards' fixed uids, which links between them name.

export const uids = {
  servicesOverview: 'obskit-services-overview',
  serviceDetail: 'obskit-service-detail',
  nodejsRuntime: 'obskit-nodejs-runtime',
  telemetryPipeline: 'obskit-telemetry-pipeline',
  alertsSlos: 'obskit-alerts-slos',
  edgeDiscovery: 'obskit-edge-discovery',
} as const;
