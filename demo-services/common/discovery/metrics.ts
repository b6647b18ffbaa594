// The endpoints each client sees, as a gauge in the app's prom-client registry, which the
// preload's /metrics serves beside its own; read at scrape time, declared in metric-specs.ts.

import { Gauge } from 'prom-client';
import { demoMetrics } from '../../metric-specs';

const seen = new Map<string, number>();
let declared = false;

function declareGauge(): void {
  const spec = demoMetrics.discoveryEndpoints;
  new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    collect() {
      for (const [service, count] of seen) this.set({ discovered_service: service }, count);
    },
  });
  declared = true;
}

/** Records how many endpoints the client of `service` has now. */
export function recordEndpoints(service: string, count: number): void {
  if (!declared) declareGauge();
  seen.set(service, count);
}
