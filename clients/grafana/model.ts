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
  range?: boolean;
  /** time_series (the default), table or heatmap: how Grafana shapes the result into frames. */
  format?: 'time_series' | 'table' | 'heatmap';
  legendFormat?: string;
  hide?: boolean;
  /** Grafana asks Prometheus for the exemplars of the same expression and draws them as dots. */
  exemplar?: boolean;
  // Elasticsearch
  query?: string;
  metrics?: { id: string; type: string; field?: string; settings?: { limit?: string } }[];
  alias?: string;
  bucketAggs?: { id: string; type: string; field: string }[];
  // Jaeger
  queryType?: string;
  service?: string;
  operation?: string;
  tags?: string;
  limit?: number;
}

export interface Panel {
  id?: number;
  type: string;
  title: string;
  description?: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  repeat?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  fieldConfig?: {
    defaults?: FieldDefaults;
    overrides?: {
      matcher: { id: string; options?: unknown };
      properties: { id: string; value?: unknown }[];
    }[];
  };
  options?: {
    reduceOptions?: { calcs?: string[] };
    /** Heatmap: the y axis' unit. */
    yAxis?: { unit?: string };
  };
  transformations?: { id: string; options?: Record<string, unknown> }[];
}

export interface Thresholds {
  mode?: 'absolute' | 'percentage';
  /** The first step's value is null: it stands for minus infinity. */
  steps: { color: string; value: number | null }[];
}

export interface FieldDefaults {
  unit?: string;
  min?: number;
  max?: number;
  links?: { title: string; url: string }[];
  thresholds?: Thresholds;
  custom?: { thresholdsStyle?: { mode?: string } };
}

/** An annotation query: Prometheus' are run over the range and marked where they are non-zero. */
export interface Annotation {
  name: string;
  datasource?: DatasourceRef;
  enable?: boolean;
  hide?: boolean;
  builtIn?: number;
  expr?: string;
  step?: string;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  useValueForTime?: boolean;
  iconColor?: string;
  /** Panels it is drawn on: by default every panel. */
  filter?: { exclude?: boolean; ids?: number[] };
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
  annotations?: { list: Annotation[] };
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
