// Runs a panel's targets as Grafana's datasources would: PromQL against Prometheus' query API,
// the Elasticsearch query model as a search, a Jaeger search against its HTTP API. Each result
// says how much data came back and what was asked, so an empty panel can be named.

import { json } from './http';
import type { Backends, Dashboard, Panel, Target, TimeRange } from './model';
import { builtins, interpolate, type Selections } from './variables';

export interface TargetResult {
  panel: string;
  refId: string;
  datasource: string;
  /** The query as sent, variables filled. */
  query: string;
  /** Series (Prometheus), documents or buckets with documents (Elasticsearch), traces (Jaeger). */
  found: number;
  rows: unknown[];
  /** The trace IDs of the exemplars drawn on a Prometheus panel that shows them. */
  exemplarTraceIds?: string[];
}

/** A series as Prometheus' query_range gives it: labels, then [seconds, value] points. */
export interface Series {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Where a target runs: the backends, the time range and the variables' values. */
export interface Context {
  backends: Backends;
  range: TimeRange;
  selections: Selections;
}

async function runPrometheus(target: Target, context: Context) {
  const { values, intervalS } = builtins(context.range, context.backends.scrapeIntervalS);
  const query = interpolate(target.expr ?? '', context.selections, 'prometheus', values);
  const endS = context.range.toMs / 1000;
  const params = new URLSearchParams({ query });
  if (target.instant) params.set('time', String(endS));
  else {
    params.set('start', String(Math.floor(context.range.fromMs / 1000 / intervalS) * intervalS));
    params.set('end', String(endS));
    params.set('step', String(intervalS));
  }
  const path = target.instant ? '/api/v1/query' : '/api/v1/query_range';
  const answer = await json<{ data: { result: { metric: Record<string, string> }[] } }>(
    `${context.backends.prometheus}${path}?${params}`,
  );
  if (!target.exemplar) return { query, rows: answer.data.result };
  const exemplars = await json<{ data: { exemplars: { labels: Record<string, string> }[] }[] }>(
    `${context.backends.prometheus}/api/v1/query_exemplars?${params}`,
  );
  const traceIds = exemplars.data.flatMap((s) =>
    s.exemplars.map((e) => e.labels[context.backends.exemplarTraceIdLabel] ?? ''),
  );
  return { query, rows: answer.data.result, exemplarTraceIds: traceIds };
}

/** The search body Grafana's Elasticsearch datasource sends for a logs or a count query. */
function elasticsearchBody(target: Target, query: string, context: Context) {
  const { intervalS } = builtins(context.range, context.backends.scrapeIntervalS);
  const filter = {
    bool: {
      filter: [
        {
          range: {
            '@timestamp': {
              gte: context.range.fromMs,
              lte: context.range.toMs,
              format: 'epoch_millis',
            },
          },
        },
        { query_string: { query, analyze_wildcard: true } },
      ],
    },
  };
  const logs = target.metrics?.find((m) => m.type === 'logs');
  if (logs)
    return {
      query: filter,
      size: Number(logs.settings?.limit ?? 500),
      sort: [{ '@timestamp': 'desc' }],
    };
  // Bucket aggregations nest in their order; count is each bucket's doc_count.
  let aggs: Record<string, unknown> | undefined;
  for (const bucket of [...(target.bucketAggs ?? [])].reverse()) {
    const agg =
      bucket.type === 'terms'
        ? { terms: { field: bucket.field, size: 10, order: { _count: 'desc' } } }
        : {
            date_histogram: {
              field: bucket.field,
              fixed_interval: `${intervalS}s`,
              min_doc_count: 0,
            },
          };
    aggs = { [bucket.id]: aggs ? { ...agg, aggs } : agg };
  }
  return { query: filter, size: 0, aggs };
}

type Buckets = Record<string, { buckets: Record<string, unknown>[] }>;

/**
 * Grafana's reading of nested bucket aggregations: each terms bucket a label, the date
 * histogram inside them a series of counts; series without a document are left out.
 */
function seriesOf(
  aggregations: Buckets = {},
  aggs: Target['bucketAggs'] = [],
  labels = {},
): Series[] {
  const [agg, ...inner] = aggs;
  const buckets = (agg && aggregations[agg.id]?.buckets) || [];
  if (!agg) return [];
  if (agg.type === 'date_histogram') {
    const values = buckets.map(
      (b) => [Number(b.key) / 1000, String(b.doc_count)] as [number, string],
    );
    return values.some(([, count]) => count !== '0') ? [{ metric: labels, values }] : [];
  }
  return buckets.flatMap((b) =>
    seriesOf(b as never, inner, { ...labels, [agg.field]: String(b.key) }),
  );
}

async function runElasticsearch(target: Target, context: Context) {
  const query = interpolate(target.query || '*', context.selections, 'elasticsearch');
  const body = elasticsearchBody(target, query, context);
  const answer = await json<{
    hits: { hits: unknown[] };
    aggregations?: Buckets;
  }>(`${context.backends.elasticsearch}/${context.backends.logsIndex}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    query,
    rows: body.size > 0 ? answer.hits.hits : seriesOf(answer.aggregations, target.bucketAggs),
  };
}

/** Grafana's Jaeger search: logfmt tags become the JSON object Jaeger's API takes. */
async function runJaeger(target: Target, context: Context) {
  const fill = (text = '') => interpolate(text, context.selections, 'jaeger');
  const params = new URLSearchParams({
    service: fill(target.service),
    limit: String(target.limit ?? 20),
    start: String(context.range.fromMs * 1000),
    end: String(context.range.toMs * 1000),
  });
  if (target.operation) params.set('operation', fill(target.operation));
  if (target.tags) {
    const pairs = fill(target.tags)
      .split(/\s+/)
      .map((pair) => pair.split('='));
    params.set('tags', JSON.stringify(Object.fromEntries(pairs)));
  }
  const answer = await json<{ data: unknown[] }>(`${context.backends.jaeger}/api/traces?${params}`);
  return { query: `/api/traces?${params}`, rows: answer.data };
}

const runners = { prometheus: runPrometheus, elasticsearch: runElasticsearch, jaeger: runJaeger };

export async function runTarget(
  panel: Panel,
  target: Target,
  context: Context,
): Promise<TargetResult> {
  const type = target.datasource?.type ?? panel.datasource?.type ?? '';
  const runner = runners[type as keyof typeof runners];
  if (!runner) throw new Error(`panel "${panel.title}": no runner for datasource type '${type}'`);
  const { query, rows, ...more } = await runner(target, context);
  return {
    panel: panel.title,
    refId: target.refId,
    datasource: type,
    query,
    rows,
    ...more,
    found: rows.length,
  };
}

/** The panels Grafana draws: rows left out, a repeated panel once per selected value. */
export function expandPanels(dashboard: Dashboard, selections: Selections) {
  return dashboard.panels
    .filter((panel) => panel.type !== 'row')
    .flatMap((panel) => {
      const name = panel.repeat;
      const repeat = name ? selections[name] : undefined;
      if (!name || !repeat) return [{ panel, selections }];
      return repeat.values.map((value) => {
        const one = { [name]: { values: [value], multi: false } };
        return {
          panel: { ...panel, title: interpolate(panel.title, one, 'other') },
          selections: { ...selections, ...one },
        };
      });
    });
}
