// Service detail: one service, triage first (each route's rate, 5xx share and p99, the status
// codes beside its error lines, its failed and slowest traces, a latency heatmap), then what it
// serves, what it calls (gRPC, HTTP, databases) and its logs: from a red cell to the trace.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { red } from '../../../instrumentation/metrics/manifest';
import { alertThreshold } from './alert-rules';
import { serviceAnnotations } from './annotations';
import { buildDashboard } from './dashboard';
import {
  heatmapPanel,
  logsPanel,
  logVolumePanel,
  redFrom,
  timeSeries,
  tracesPanel,
} from './panels';
import { errorRatio, grpcErrors, quantile, requestRate, series, sumRate } from './promql';
import { esCountBy, esLogs, jaegerSearch, promHeatmap, promRange } from './queries';
import { joinedTable } from './tables';
import { serviceVariable } from './variables';

const http = red.httpServer;
const route = 'http_request_method, http_route';

/** Routes under one request a minute over the range are left out: their p99 is noise. */
export const trafficFloor = 1 / 60;

const overRange = (suffix: string, ...extra: string[]) =>
  `sum by (${suffix === '_bucket' ? `le, ${route}` : route}) (rate(${series(http, suffix, ...extra)}[$__range]))`;
const busy = `(${overRange('_count')} > ${trafficFloor.toPrecision(3)})`;

const routeTable = joinedTable({
  title: 'Routes: rate, 5xx share and p99',
  description:
    'Each route over the time range, busiest first; red where the route alone would fire HighHttpErrorRatio or HighHttpLatencyP99. Routes under one request a minute are left out.',
  span: 24,
  height: 8,
  columns: [
    { title: 'Requests/s', unit: 'reqps', expr: busy },
    {
      title: '5xx share',
      unit: 'percentunit',
      expr: `(${overRange('_count', 'http_response_status_code=~"5.."')} or ${overRange('_count')} * 0) / ${busy}`,
      thresholds: redFrom(alertThreshold('HighHttpErrorRatio')),
    },
    {
      title: 'p99',
      unit: 's',
      expr: `histogram_quantile(0.99, ${overRange('_bucket')}) and on (${route}) ${busy}`,
      thresholds: redFrom(alertThreshold('HighHttpLatencyP99')),
    },
  ],
}).sortBy([{ build: () => ({ displayName: 'Requests/s', desc: true }) }]);

const errorLines = 'service.name:$service AND log.level:error';

const triage = [
  routeTable,
  timeSeries({
    title: 'HTTP status codes',
    description: 'Requests per second by status code.',
    unit: 'reqps',
    targets: [
      promRange(requestRate('http_response_status_code', http), '{{http_response_status_code}}'),
    ],
  }),
  logsPanel({
    title: 'Error lines',
    description: 'The newest error lines of the service; a line’s trace.id opens its trace.',
    span: 12,
    height: 8,
    targets: [esLogs(errorLines, 50)],
  }),
  tracesPanel({
    title: 'Failed traces',
    description: 'The newest traces with a failed span (error=true), from Jaeger.',
    span: 12,
    targets: [jaegerSearch('$service', 20, 'error=true')],
  }),
  tracesPanel({
    title: 'Slowest of the last 100 traces',
    description: 'The newest 100 traces through the service, slowest first.',
    span: 12,
    targets: [jaegerSearch('$service', 100)],
  }).sortBy([{ build: () => ({ displayName: 'Duration', desc: true }) }]),
  heatmapPanel({
    title: 'HTTP latency heatmap',
    description:
      'Requests per latency bucket over time; the dots are exemplars: each opens its trace.',
    unit: 's',
    span: 24,
    targets: [promHeatmap(`sum by (le) (increase(${series(http, '_bucket')}[$__interval]))`)],
  }),
];

const httpServed = [
  timeSeries({
    title: 'HTTP latency by route (p95)',
    description: 'p95 of each route and method; the dots are exemplars: each opens its trace.',
    unit: 's',
    span: 24,
    targets: [
      promRange(quantile(0.95, route, http), '{{http_request_method}} {{http_route}}', true),
    ],
  }),
];

const grpc = [
  timeSeries({
    title: 'gRPC calls served by method and status',
    description:
      'Calls per second this service answered, by method and gRPC status code (0 is OK).',
    unit: 'reqps',
    targets: [
      promRange(
        requestRate('rpc_method, rpc_grpc_status_code', red.rpcServer),
        '{{rpc_method}} {{rpc_grpc_status_code}}',
      ),
    ],
  }),
  timeSeries({
    title: 'gRPC server errors by method',
    description: `Share of the calls served that failed on the server’s side (${grpcErrors}: the caller’s NOT_FOUND or INVALID_ARGUMENT are not), by method.`,
    unit: 'percentunit',
    thresholds: redFrom(alertThreshold('HighGrpcErrorRatio')),
    targets: [promRange(errorRatio('rpc_method', red.rpcServer, grpcErrors), '{{rpc_method}}')],
  }),
  timeSeries({
    title: 'gRPC calls made by method and status',
    description: 'Calls per second this service made to others, by method and gRPC status code.',
    unit: 'reqps',
    targets: [
      promRange(
        requestRate('rpc_service, rpc_method, rpc_grpc_status_code', red.rpcClient),
        '{{rpc_service}}/{{rpc_method}} {{rpc_grpc_status_code}}',
      ),
    ],
  }),
  timeSeries({
    title: 'gRPC latency by method (p95)',
    description: 'p95 of the calls served and made, by method; the dots are exemplars.',
    unit: 's',
    targets: [
      promRange(quantile(0.95, 'rpc_method', red.rpcServer), 'served {{rpc_method}}', true),
      promRange(quantile(0.95, 'rpc_method', red.rpcClient), 'made {{rpc_method}}', true),
    ],
  }),
];

const dependencies = [
  timeSeries({
    title: 'Outgoing HTTP by host and status',
    description: 'HTTP requests per second this service sent, by server address and status code.',
    unit: 'reqps',
    targets: [
      promRange(
        requestRate('server_address, http_response_status_code', red.httpClient),
        '{{server_address}} {{http_response_status_code}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Outgoing HTTP latency (p95)',
    description: 'p95 of the HTTP requests sent, by server address; the dots are exemplars.',
    unit: 's',
    targets: [
      promRange(quantile(0.95, 'server_address', red.httpClient), '{{server_address}}', true),
    ],
  }),
  timeSeries({
    title: 'Database operations by outcome',
    description:
      'MongoDB and Redis operations per second, by system and operation; error_type names the failures.',
    unit: 'ops',
    targets: [
      promRange(
        sumRate('db_system_name, db_operation_name, error_type', red.dbClient, '_count'),
        '{{db_system_name}} {{db_operation_name}} {{error_type}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Database errors by system',
    description:
      'Share of the operations that failed (error_type set), by database system; HighDatabaseErrorRatio fires above the dashed line.',
    unit: 'percentunit',
    id: alertPanels.databaseErrors,
    thresholds: redFrom(alertThreshold('HighDatabaseErrorRatio')),
    targets: [
      promRange(errorRatio('db_system_name', red.dbClient, 'error_type!=""'), '{{db_system_name}}'),
    ],
  }),
  timeSeries({
    title: 'Database latency (p95)',
    description: 'p95 of the database operations, by system and operation; the dots are exemplars.',
    unit: 's',
    targets: [
      promRange(
        quantile(0.95, 'db_system_name, db_operation_name', red.dbClient),
        '{{db_system_name}} {{db_operation_name}}',
        true,
      ),
    ],
  }),
];

const logs = [
  logVolumePanel({
    title: 'Log lines by level',
    description: 'Log lines per interval in Elasticsearch, by log.level, stacked.',
    unit: 'short',
    span: 24,
    height: 6,
    targets: [esCountBy('service.name:$service', 'log.level')],
  }),
  logsPanel({
    title: 'Log lines',
    description: 'The newest lines of the service; a line’s trace.id opens its trace.',
    targets: [esLogs('service.name:$service')],
  }),
];

export const serviceDetail = () =>
  buildDashboard({
    uid: uids.serviceDetail,
    title: 'obskit / Service detail',
    description: 'One service: triage first, then its routes, gRPC methods, dependencies and logs.',
    variables: [serviceVariable(false)],
    annotations: serviceAnnotations(),
    rows: [
      { title: 'Triage', panels: triage },
      { title: 'HTTP served', panels: httpServed },
      { title: 'gRPC', panels: grpc },
      { title: 'Dependencies', panels: dependencies },
      { title: 'Logs', panels: logs },
    ],
  });
