// Instant queries against the stack's Prometheus.

import { getJson, poll, urlOf } from './stack';

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

/** The labels of the first exemplar of `selector` in the last ten minutes, once Prometheus has one. */
export function firstExemplar(selector: string): Promise<Record<string, string>> {
  const now = Date.now() / 1000;
  const path = `/api/v1/query_exemplars?query=${encodeURIComponent(selector)}&start=${now - 600}&end=${now + 60}`;
  return poll(
    `an exemplar of ${selector} in Prometheus`,
    async () => {
      const answer = await getJson<{ data: { exemplars: { labels: Record<string, string> }[] }[] }>(
        urlOf('prometheus', path),
      );
      return answer.data.flatMap((series) => series.exemplars)[0]?.labels;
    },
    60_000,
  );
}
