// PromQL for the panels, built from the manifest's metric specs so that a renamed metric
// cannot leave a dashboard behind. `$service`/`$instance` are the dashboards' variables.

import type { MetricSpec } from '../../../instrumentation/metrics/manifest';

type Named = Pick<MetricSpec, 'name'>;

/** The service selector every panel starts from; extra matchers are appended. */
export const matchers = (...extra: string[]) => ['service=~"$service"', ...extra].join(', ');

export const series = (metric: Named, suffix = '', ...extra: string[]) =>
  `${metric.name}${suffix}{${matchers(...extra)}}`;

/** Per-second rate, summed by `by`, over Grafana's $__rate_interval. */
export const sumRate = (by: string, metric: Named, suffix = '', ...extra: string[]) =>
  `sum by (${by}) (rate(${series(metric, suffix, ...extra)}[$__rate_interval]))`;

/** Requests per second of a duration histogram. */
export const requestRate = (by: string, metric: Named, ...extra: string[]) =>
  sumRate(by, metric, '_count', ...extra);

/** The share of requests matching `bad`, by `by`: 0, not "No data", while nothing fails. */
export const errorRatio = (by: string, metric: Named, bad: string) =>
  `(${requestRate(by, metric, bad)} or ${requestRate(by, metric)} * 0) / ${requestRate(by, metric)}`;

/** A quantile of a duration histogram, by `by`. */
export const quantile = (q: number, by: string, metric: Named, ...extra: string[]) =>
  `histogram_quantile(${q}, ${sumRate(`le, ${by}`, metric, '_bucket', ...extra)})`;

/** A quantile over the whole time range, for the tables of slowest operations. */
export const quantileOverRange = (q: number, by: string, metric: Named) =>
  `histogram_quantile(${q}, sum by (le, ${by}) (increase(${series(metric, '_bucket')}[$__range])))`;

export const httpServerErrors = 'http_response_status_code=~"5.."';

/**
 * The gRPC codes OpenTelemetry's RPC conventions count as a server's errors (UNKNOWN,
 * DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS); NOT_FOUND or
 * INVALID_ARGUMENT are the caller's. The rules use the same matcher (a test compares them).
 */
export const grpcServerErrorCodes = [2, 4, 12, 13, 14, 15] as const;
export const grpcErrors = `rpc_grpc_status_code=~"${grpcServerErrorCodes.join('|')}"`;

/** Per-second rate of a backend's own series, which carry no `service` of ours, summed by `by`. */
export const backendRate = (by: string, name: string) =>
  `sum by (${by}) (rate(${name}[$__rate_interval]))`;

/** A quantile of a backend's own duration histogram, by `by`. */
export const backendQuantile = (q: number, by: string, metric: Named) =>
  `histogram_quantile(${q}, ${backendRate(`le, ${by}`, `${metric.name}_bucket`)})`;
