// Service detail: what one service (or several) serves, what it calls (gRPC, HTTP, databases),
// its recent traces and its log lines: from a red line to the trace and the lines behind it.

import { red } from '../../../instrumentation/metrics/manifest';
import { buildDashboard } from './dashboard';
import { logsPanel, logVolumePanel, tablePanel, timeSeries, tracesPanel } from './panels';
import { quantile, quantileOverRange, requestRate, sumRate } from './promql';
import { esCountBy, esLogs, jaegerSearch, promInstant, promRange } from './queries';
import { uids } from './uids';
import { serviceVariable } from './variables';

const http = red.httpServer;
const route = 'http_request_method, http_route';

const httpServed = [
  timeSeries({
    title: 'HTTP latency by route (p95)',
    description: 'p95 of each route and method; the dots are exemplars: each opens its trace.',
    unit: 's',
    targets: [
      promRange(quantile(0.95, route, http), '{{http_request_method}} {{http_route}}', true),
    ],
  }),
  timeSeries({
    title: 'HTTP status codes',
    description: 'Requests per second by status code.',
    unit: 'reqps',
    targets: [
      promRange(requestRate('http_response_status_code', http), '{{http_response_status_code}}'),
    ],
  }),
  tablePanel({
    title: 'Slowest routes (p99 over the range)',
    description: 'The ten routes with the highest p99 over the whole time range.',
    unit: 's',
    span: 24,
    height: 7,
    targets: [promInstant(`topk(10, ${quantileOverRange(0.99, route, http)})`)],
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
    span: 24,
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

const tracesAndLogs = [
  tracesPanel({
    title: 'Recent traces of $service',
    description: 'The newest traces through the service, from Jaeger: a trace ID opens the trace.',
    repeat: 'service',
    targets: [jaegerSearch('$service')],
  }),
  logVolumePanel({
    title: 'Log lines by level',
    description: 'Log lines per interval in Elasticsearch, by log.level.',
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
    description: 'Routes, gRPC methods, dependencies, traces and logs of the chosen services.',
    variables: [serviceVariable()],
    rows: [
      { title: 'HTTP served', panels: httpServed },
      { title: 'gRPC', panels: grpc },
      { title: 'Dependencies', panels: dependencies },
      { title: 'Traces and logs', panels: tracesAndLogs },
    ],
  });
