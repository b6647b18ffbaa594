// Node.js runtime: what the process itself does, per instance: event-loop lag, garbage
// collection, heap against its limit, CPU, memory and handles (prom-client's collectors).

import { runtime } from '../../../instrumentation/metrics/manifest';
import { buildDashboard } from './dashboard';
import { timeSeries } from './panels';
import { matchers, sumRate } from './promql';
import { promRange } from './queries';
import { uids } from './uids';
import { instanceVariable, serviceVariable } from './variables';

const perInstance = (metric: { name: string }) =>
  `${metric.name}{${matchers('instance=~"$instance"')}}`;
const legend = '{{service}} {{instance}}';

const panels = [
  timeSeries({
    title: 'Event-loop lag (p99)',
    description: 'How long a callback waited for the loop: synchronous work blocks every request.',
    unit: 's',
    targets: [promRange(perInstance(runtime.eventLoopLag), legend)],
  }),
  timeSeries({
    title: 'Garbage collection time',
    description: 'Seconds per second spent in garbage collection, by kind.',
    unit: 's',
    targets: [
      promRange(
        sumRate('service, instance, kind', runtime.gcDuration, '_sum', 'instance=~"$instance"'),
        '{{service}} {{instance}} {{kind}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Heap used and its limit',
    description:
      'The V8 heap in use against --max-old-space-size: near the limit, the process crashes.',
    unit: 'bytes',
    targets: [
      promRange(perInstance(runtime.heapUsed), `used ${legend}`),
      promRange(perInstance(runtime.heapLimit), `limit ${legend}`),
    ],
  }),
  timeSeries({
    title: 'CPU',
    description: 'CPU seconds per second (1 is one core), user and system together.',
    unit: 'percentunit',
    targets: [
      promRange(sumRate('service, instance', runtime.cpu, '', 'instance=~"$instance"'), legend),
    ],
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
    targets: [promRange(perInstance(runtime.activeHandles), legend)],
  }),
];

export const nodejsRuntime = () =>
  buildDashboard({
    uid: uids.nodejsRuntime,
    title: 'obskit / Node.js runtime',
    description: 'Event loop, garbage collection, heap, CPU, memory and handles per instance.',
    variables: [serviceVariable(), instanceVariable()],
    rows: [{ title: 'Runtime', panels }],
  });
