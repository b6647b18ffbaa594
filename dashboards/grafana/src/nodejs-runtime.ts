// Node.js runtime: what the process itself does, per instance: event-loop lag, garbage
// collection, heap against its limit and by space, CPU, memory, handles, restarts and the
// Node.js version (prom-client's collectors), with the lines the runtime alerts fire at.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { runtime } from '../../../instrumentation/metrics/manifest';
import { alertThreshold } from './alert-rules';
import { serviceAnnotations } from './annotations';
import { buildDashboard } from './dashboard';
import { redFrom, statPanel, tablePanel, timeSeries } from './panels';
import { matchers, sumRate } from './promql';
import { promInstant, promRange, promTable } from './queries';
import { instanceVariable, serviceVariable } from './variables';

const perInstance = (metric: { name: string }) =>
  `${metric.name}{${matchers('instance=~"$instance"')}}`;
const legend = '{{service}} {{instance}}';
const byInstance = 'service, instance';

const loopAndHeap = [
  timeSeries({
    title: 'Event-loop lag (p99)',
    description:
      'How long a callback waited for the loop: synchronous work blocks every request. The dashed line is where EventLoopLagHigh fires.',
    unit: 's',
    id: alertPanels.eventLoopLag,
    thresholds: redFrom(alertThreshold('EventLoopLagHigh')),
    targets: [promRange(perInstance(runtime.eventLoopLag), legend)],
  }),
  timeSeries({
    title: 'Heap used of its limit',
    description:
      'The V8 heap in use as a share of --max-old-space-size: at 1 the process crashes. The dashed line is where HeapNearLimit fires.',
    unit: 'percentunit',
    id: alertPanels.heapRatio,
    thresholds: redFrom(alertThreshold('HeapNearLimit')),
    targets: [
      promRange(`${perInstance(runtime.heapUsed)} / ${perInstance(runtime.heapLimit)}`, legend),
    ],
  }),
  timeSeries({
    title: 'Heap by space',
    description:
      'The size of each V8 heap space: old space grows with what is retained, new space with what is allocated.',
    unit: 'bytes',
    targets: [
      promRange(
        `sum by (${byInstance}, space) (${perInstance(runtime.heapSpaces)})`,
        '{{service}} {{instance}} {{space}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Garbage collection',
    description:
      'Seconds per second spent in garbage collection, and collections per second, by kind.',
    unit: 's',
    targets: [
      promRange(
        sumRate(`${byInstance}, kind`, runtime.gcDuration, '_sum', 'instance=~"$instance"'),
        'time {{service}} {{instance}} {{kind}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Garbage collections per second',
    description: 'Collections per second by kind: many minor ones mean many short-lived objects.',
    unit: 'ops',
    targets: [
      promRange(
        sumRate(`${byInstance}, kind`, runtime.gcDuration, '_count', 'instance=~"$instance"'),
        '{{service}} {{instance}} {{kind}}',
      ),
    ],
  }),
];

const processPanels = [
  timeSeries({
    title: 'CPU',
    description: 'CPU seconds per second (1 is one core), user and system together.',
    unit: 'percentunit',
    targets: [promRange(sumRate(byInstance, runtime.cpu, '', 'instance=~"$instance"'), legend)],
  }),
  timeSeries({
    title: 'Resident memory',
    description: 'The process’ resident set size: heap, buffers and native memory.',
    unit: 'bytes',
    targets: [promRange(perInstance(runtime.rss), legend)],
  }),
  timeSeries({
    title: 'Active handles',
    description: 'Sockets, timers and other libuv handles: a steady climb is a leak.',
    unit: 'short',
    span: 24,
    targets: [promRange(perInstance(runtime.activeHandles), legend)],
  }),
  statPanel({
    title: 'Restarts in the range',
    description:
      'How often each instance started again within the time range (its start time changed); the markers on the charts show when.',
    unit: 'short',
    span: 12,
    thresholds: redFrom(1),
    targets: [
      promInstant(
        `sum by (${byInstance}) (changes(${perInstance(runtime.startTime)}[$__range]))`,
        legend,
      ),
    ],
  }),
  tablePanel({
    title: 'Node.js versions',
    description: 'The Node.js version each service runs, and on how many instances.',
    unit: 'none',
    span: 12,
    height: 5,
    targets: [promTable(`count by (service, version) (${perInstance(runtime.version)})`)],
  }),
];

export const nodejsRuntime = () =>
  buildDashboard({
    uid: uids.nodejsRuntime,
    title: 'obskit / Node.js runtime',
    description:
      'Event loop, garbage collection, heap, CPU, memory, handles, restarts and versions per instance.',
    variables: [serviceVariable(), instanceVariable()],
    annotations: serviceAnnotations(),
    rows: [
      { title: 'Event loop and heap', panels: loopAndHeap },
      { title: 'Process', panels: processPanels },
    ],
  });
