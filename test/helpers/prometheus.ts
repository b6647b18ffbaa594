// Instant queries against the stack's Prometheus.

import { getJson, urlOf } from './stack';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export const promQuery = async (promql: string): Promise<Sample[]> =>
  (
    await getJson<{ data: { result: Sample[] } }>(
      urlOf('prometheus', `/api/v1/query?query=${encodeURIComponent(promql)}`),
    )
  ).data.result;

/** The alerts Alertmanager holds whose labels match `matcher`, such as `service="gateway"`. */
export const activeAlerts = (matcher: string) =>
  getJson<{ labels: Record<string, string> }[]>(
    urlOf('alertmanager', `/api/v2/alerts?filter=${encodeURIComponent(matcher)}`),
  );
