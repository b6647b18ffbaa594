// Every metric the preload exports: its Prometheus name, type, labels and meaning, once.
// The metrics code creates its instruments from here; rules and dashboards are checked against it.

export type MetricType = 'histogram' | 'counter' | 'gauge';

export interface MetricSpec {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly string[];
  /** Histogram bucket bounds, in the metric's unit. */
  buckets?: readonly number[];
}

/** OpenTelemetry's advised boundaries for request durations, in seconds. */
export const durationBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

export const red = {
  httpServer: {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labels: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: durationBuckets,
  },
  httpClient: {
    name: 'http_client_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP client requests (OpenTelemetry http.client.request.duration).',
    labels: ['http_request_method', 'server_address', 'http_response_status_code'],
    buckets: durationBuckets,
  },
  rpcServer: {
    name: 'rpc_server_call_duration_seconds',
    type: 'histogram',
    help: 'Duration of gRPC calls served (OpenTelemetry rpc.server.call.duration).',
    labels: ['rpc_system', 'rpc_service', 'rpc_method', 'rpc_grpc_status_code'],
    buckets: durationBuckets,
  },
  rpcClient: {
    name: 'rpc_client_call_duration_seconds',
    type: 'histogram',
    help: 'Duration of gRPC calls made (OpenTelemetry rpc.client.call.duration).',
    labels: ['rpc_system', 'rpc_service', 'rpc_method', 'rpc_grpc_status_code'],
    buckets: durationBuckets,
  },
  dbClient: {
    name: 'db_client_operation_duration_seconds',
    type: 'histogram',
    help: 'Duration of database operations, MongoDB and Redis (OpenTelemetry db.client.operation.duration).',
    labels: ['db_system_name', 'db_operation_name', 'error_type'],
    buckets: durationBuckets,
  },
} as const satisfies Record<string, MetricSpec>;

export const pipeline = {
  spansExported: {
    name: 'obskit_spans_exported_total',
    type: 'counter',
    help: 'Spans the backend acknowledged.',
    labels: [],
  },
  spansDropped: {
    name: 'obskit_spans_dropped_total',
    type: 'counter',
    help: 'Spans lost: the queue was full, or the backend refused or could not be reached.',
    labels: [],
  },
  spanQueueSize: {
    name: 'obskit_span_queue_size',
    type: 'gauge',
    help: 'Spans waiting to be exported.',
    labels: [],
  },
  spanQueueCapacity: {
    name: 'obskit_span_queue_capacity',
    type: 'gauge',
    help: 'Spans the queue holds at most (OTEL_BSP_MAX_QUEUE_SIZE).',
    labels: [],
  },
  logLinesShipped: {
    name: 'obskit_log_lines_shipped_total',
    type: 'counter',
    help: 'Log lines the receiver took, per shipping transport (syslog, fluentd).',
    labels: ['transport'],
  },
  logLinesDropped: {
    name: 'obskit_log_lines_dropped_total',
    type: 'counter',
    help: 'Log lines lost because the queue was full while the receiver was away.',
    labels: ['transport'],
  },
  logQueueSize: {
    name: 'obskit_log_queue_size',
    type: 'gauge',
    help: 'Log lines waiting for the receiver.',
    labels: ['transport'],
  },
  logQueueCapacity: {
    name: 'obskit_log_queue_capacity',
    type: 'gauge',
    help: 'Log lines a transport holds at most (OBSKIT_LOG_QUEUE_SIZE).',
    labels: ['transport'],
  },
} as const satisfies Record<string, MetricSpec>;

/** Node runtime metrics, from prom-client's default collectors (names as prom-client gives them). */
export const runtime = {
  eventLoopLag: {
    name: 'nodejs_eventloop_lag_p99_seconds',
    type: 'gauge',
    help: 'Event loop lag, 99th percentile.',
    labels: [],
  },
  gcDuration: {
    name: 'nodejs_gc_duration_seconds',
    type: 'histogram',
    help: 'Garbage collection duration by kind.',
    labels: ['kind'],
  },
  heapUsed: {
    name: 'nodejs_heap_size_used_bytes',
    type: 'gauge',
    help: 'V8 heap used.',
    labels: [],
  },
  heapSpaces: {
    name: 'nodejs_heap_space_size_total_bytes',
    type: 'gauge',
    help: 'V8 heap space sizes.',
    labels: ['space'],
  },
  heapLimit: {
    name: 'nodejs_heap_size_limit_bytes',
    type: 'gauge',
    help: 'The V8 heap size limit (--max-old-space-size); obskit adds it to the runtime metrics.',
    labels: [],
  },
  activeHandles: {
    name: 'nodejs_active_handles_total',
    type: 'gauge',
    help: 'Active libuv handles.',
    labels: [],
  },
  cpu: { name: 'process_cpu_seconds_total', type: 'counter', help: 'CPU time spent.', labels: [] },
  rss: {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory.',
    labels: [],
  },
  startTime: {
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'When the process started, in seconds since the epoch: a restart changes it.',
    labels: [],
  },
  version: {
    name: 'nodejs_version_info',
    type: 'gauge',
    help: 'The Node.js version, as labels (value 1).',
    labels: ['version', 'major', 'minor', 'patch'],
  },
} as const satisfies Record<string, MetricSpec>;

export const manifest: readonly MetricSpec[] = [
  ...Object.values(red),
  ...Object.values(pipeline),
  ...Object.values(runtime),
];
