// Typed targets for the panels. The SDK builds Prometheus queries; it has no Jaeger query,
// and 0.0.21 writes `"type":"unknown"` for Elasticsearch logs and count metrics, so those two
// are small builders of their own with the fields Grafana's datasources read.

import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { elasticsearch, jaeger, prometheus } from './datasources';

/** A range query; `exemplars` shows the trace IDs the preload writes on its histograms. */
export const promRange = (expr: string, legend: string, exemplars = false) =>
  new DataqueryBuilder()
    .datasource(prometheus)
    .expr(expr)
    .legendFormat(legend)
    .range()
    .exemplar(exemplars);

/**
 * An instant query at the end of the range, as a time series: Grafana names each value by its
 * legend (a table frame would ignore it), so stats and gauges use this one.
 */
export const promInstant = (expr: string, legend: string) =>
  new DataqueryBuilder().datasource(prometheus).expr(expr).legendFormat(legend).instant();

/** An instant query as a table frame: one row per series, a column per label, for tables. */
export const promTable = (expr: string) =>
  new DataqueryBuilder()
    .datasource(prometheus)
    .expr(expr)
    .legendFormat('__auto')
    .instant()
    .format(PromQueryFormat.Table);

/** Bucket counts per interval as a heatmap frame (`le` the rows), with their exemplars. */
export const promHeatmap = (expr: string) =>
  new DataqueryBuilder()
    .datasource(prometheus)
    .expr(expr)
    .legendFormat('{{le}}')
    .range()
    .format(PromQueryFormat.Heatmap)
    .exemplar(true);

/** Grafana's Jaeger query model (public/app/plugins/datasource/jaeger/types.ts). */
export interface JaegerSearch extends Dataquery {
  refId: string;
  datasource: typeof jaeger;
  queryType: 'search';
  service: string;
  operation?: string;
  /** logfmt tags, e.g. `error=true`. */
  tags?: string;
  limit: number;
}

export const jaegerSearch = (
  service: string,
  limit = 20,
  tags?: string,
): Builder<JaegerSearch> => ({
  build: () => ({
    refId: 'A',
    datasource: jaeger,
    queryType: 'search',
    service,
    limit,
    ...(tags ? { tags } : {}),
    _implementsDataqueryVariant() {},
  }),
});

type EsMetric =
  | { id: string; type: 'logs'; settings: { limit: string } }
  | { id: string; type: 'count' };
type EsBucket =
  | {
      id: string;
      type: 'date_histogram';
      field: string;
      settings: { interval: 'auto'; min_doc_count: '0' };
    }
  | {
      id: string;
      type: 'terms';
      field: string;
      settings: { size: string; order: 'desc'; orderBy: '_count'; min_doc_count: '1' };
    };

/** Grafana's Elasticsearch query model (public/app/plugins/datasource/elasticsearch/dataquery.gen.ts). */
export interface EsQuery extends Dataquery {
  refId: string;
  datasource: typeof elasticsearch;
  /** Lucene, as in Kibana's search bar. */
  query: string;
  timeField: '@timestamp';
  metrics: EsMetric[];
  bucketAggs: EsBucket[];
}

const esQuery = (query: string, metrics: EsMetric[], bucketAggs: EsBucket[]): Builder<EsQuery> => ({
  build: () => ({
    refId: 'A',
    datasource: elasticsearch,
    query,
    timeField: '@timestamp',
    metrics,
    bucketAggs,
    _implementsDataqueryVariant() {},
  }),
});

/** The newest log lines matching a Lucene query. */
export const esLogs = (query: string, limit = 100) =>
  esQuery(query, [{ id: '1', type: 'logs', settings: { limit: String(limit) } }], []);

/** Lines per interval, split by the values of `field`. */
export const esCountBy = (query: string, field: string) =>
  esQuery(
    query,
    [{ id: '1', type: 'count' }],
    [
      {
        id: '2',
        type: 'terms',
        field,
        settings: { size: '10', order: 'desc', orderBy: '_count', min_doc_count: '1' },
      },
      {
        id: '3',
        type: 'date_histogram',
        field: '@timestamp',
        settings: { interval: 'auto', min_doc_count: '0' },
      },
    ],
  );
