// The parts of a Grafana dashboard's JSON that obskit reads to run its queries, and where the
// backends behind its datasources listen.

export interface DatasourceRef {
  type: string;
  uid: string;
}

export interface Target {
  refId: string;
  datasource?: DatasourceRef;
  // Prometheus
  expr?: string;
  instant?: boolean;
  legendFormat?: string;
  /** Grafana asks Prometheus for the exemplars of the same expression and draws them as dots. */
  exemplar?: boolean;
  // Elasticsearch
  query?: string;
  metrics?: { id: string; type: string; settings?: { limit?: string } }[];
  bucketAggs?: { id: string; type: string; field: string }[];
  // Jaeger
  queryType?: string;
  service?: string;
  operation?: string;
  tags?: string;
  limit?: number;
}

export interface Panel {
  type: string;
  title: string;
  description?: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  repeat?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string; links?: { title: string; url: string }[] } };
}

export interface Variable {
  type: string;
  name: string;
  query?: string | { query: string };
  datasource?: DatasourceRef;
  regex?: string;
  sort?: number;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  current?: { value: string | string[] };
}

export interface Dashboard {
  uid: string;
  title: string;
  time: { from: string; to: string };
  templating?: { list: Variable[] };
  panels: Panel[];
}

/** Where the backends behind the datasources answer, and what the datasources add. */
export interface Backends {
  prometheus: string;
  jaeger: string;
  elasticsearch: string;
  /** The Elasticsearch datasource's index pattern. */
  logsIndex: string;
  /** The Prometheus datasource's scrape interval (its timeInterval), in seconds. */
  scrapeIntervalS: number;
  /** The exemplar label that holds a trace ID (exemplarTraceIdDestinations). */
  exemplarTraceIdLabel: string;
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}
