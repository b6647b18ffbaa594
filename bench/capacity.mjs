// The running stack's capacity: the highest rate of spans, and of log lines, a second that it
// ingests with 0 loss. Node processes under the obskit preload make numbered spans (OTLP to
// Jaeger) or winston lines (syslog to rsyslog) at a set rate between them; the count is read
// back from Elasticsearch (Jaeger's span indices, the logs indices) after a drain. The rate
// goes up by a factor each step until a step loses something or the load cannot keep its rate;
// the last rate with 0 loss is then run again over the full window. Over each step: CPU seconds
// and peak RSS of every backend process (the stack's pid files, with their children), and the
// loss counters of the pipeline (the apps' span and log queues, Jaeger, Elasticsearch, rsyslog).
//
//   node bench/capacity.mjs [--topology single|cluster]      (or OBSKIT_TOPOLOGY; needs `obskit stack up`)
//   BENCH_SIGNALS=spans,logs BENCH_RATE=1000 BENCH_STEP=1.5 BENCH_SEARCH_SECONDS=10 BENCH_SECONDS=60
//   BENCH_PROCESSES=4 BENCH_DRAIN_SECONDS=60 BENCH_LAG_SECONDS=3 BENCH_WARM_UP_SECONDS=5 BENCH_MAX_RATE=100000

import { join } from 'node:path';
import { lossCounters } from './capacity/pipeline.mjs';
import { runningBackends } from './capacity/processes.mjs';
import { evidence, stepHeader, stepRow, usageTable } from './capacity/report.mjs';
import { runStep } from './capacity/step.mjs';
import { root, setting, smoke } from './harness.mjs';

const topologyArg = process.argv.indexOf('--topology');
if (topologyArg > 0) process.env.OBSKIT_TOPOLOGY = process.argv[topologyArg + 1];

const dist = (...path) => join(root, 'dist', ...path);
const { localStackConfig } = await import(dist('stack', 'local-stack.js'));
const { backendPortOf, memberPortsOf } = await import(dist('stack', 'ports.js'));
const { runningPidIn } = await import(dist('stack', 'supervisor.js'));
const { elasticsearchClient } = await import(dist('stack', 'elasticsearch-client.js'));

const signals = (process.env.BENCH_SIGNALS || 'spans,logs').split(',').map((s) => s.trim());
const startRate = setting('BENCH_RATE', 1000, 100);
const factor = setting('BENCH_STEP', 1.5);
const maxRate = setting('BENCH_MAX_RATE', 100_000);
const searchSeconds = setting('BENCH_SEARCH_SECONDS', 10, 2);
const seconds = setting('BENCH_SECONDS', 60, 2);
const processes = setting('BENCH_PROCESSES', 4, 1);
const drainSeconds = setting('BENCH_DRAIN_SECONDS', 60, 30);
const lagSeconds = setting('BENCH_LAG_SECONDS', 3, 30);
const warmUpSeconds = setting('BENCH_WARM_UP_SECONDS', 5, 0);

for (const signal of signals)
  if (signal !== 'spans' && signal !== 'logs')
    throw new Error(`BENCH_SIGNALS: ${signal} is neither spans nor logs`);

const config = localStackConfig(process.env);
const client = elasticsearchClient(memberPortsOf(config, 'elasticsearch'));
await client.ping().catch(() => {
  throw new Error('no Elasticsearch answers: the bench needs the local stack (obskit stack up)');
});
const backends = runningBackends(config, runningPidIn);
const jaegerMetrics = memberPortsOf(config, 'jaeger', 'metrics');
const rsyslogWork = join(config.runDir, 'rsyslog', 'work');

const loadEnv = (signal) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${backendPortOf(config, 'jaeger', 'otlp-http')}`,
  OBSKIT_METRICS_PORT: '0',
  OBSKIT_LOG_TRANSPORTS: signal === 'logs' ? 'syslog' : 'console',
  OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${backendPortOf(config, 'rsyslog')}`,
});

const context = {
  client,
  backends,
  counters: () => lossCounters(client, jaegerMetrics, rsyslogWork),
  loadEnv,
  processes,
  drainMs: drainSeconds * 1000,
  lagMs: lagSeconds * 1000,
};

/** Steps up from the start rate until a step fails; returns the last good step and the failed one. */
async function search(signal) {
  // Today's indices made (one replica allocated, in a cluster) and the JVMs warm, unjudged.
  if (warmUpSeconds > 0) {
    const warmUp = await runStep(context, signal, startRate, warmUpSeconds);
    console.log(stepRow({ ...warmUp, signal: `${signal} (warm-up)` }));
  }
  let good;
  for (let rate = startRate; rate <= maxRate; rate = Math.round(rate * factor)) {
    const step = await runStep(context, signal, rate, searchSeconds);
    console.log(stepRow(step));
    if (smoke) return { good: step };
    if (!step.ok) return { good, failed: step };
    good = step;
  }
  return { good };
}

/** The found rate over the full window; if that loses, the rate a step below, once. */
async function confirm(signal, rate) {
  for (const tryRate of [rate, Math.round(rate / factor)]) {
    const step = await runStep(context, signal, tryRate, seconds);
    console.log(stepRow(step));
    if (step.ok) return step;
  }
  return undefined;
}

console.log(
  `capacity of the ${config.topology} topology: ${processes} load processes under the preload, ` +
    `steps of ${searchSeconds} s from ${startRate}/s (×${factor}), then ${seconds} s at the rate found; ` +
    `all stored within ${lagSeconds} s of the window's end (polled until ${drainSeconds} s); a warm-up step of ${warmUpSeconds} s first; backends watched: ${backends.map((b) => b.name).join(', ')}`,
);
console.log(stepHeader);
const found = {};
for (const signal of signals) {
  const { good, failed } = await search(signal);
  const confirmed = smoke || !good ? undefined : await confirm(signal, good.rate);
  found[signal] = { good, confirmed, failed };
}
/** The outcome of one signal: the rate that held and what the backends used, and the first failure. */
function summary(signal, { good, confirmed, failed }) {
  const where = `(${config.topology})`;
  if (smoke) console.log(`\n${signal}: ${good.rate}/s, not judged (smoke) ${where}`);
  else if (confirmed)
    console.log(`\n${signal}: 0 loss at ${confirmed.rate}/s over ${confirmed.seconds} s ${where}`);
  else if (good)
    console.log(
      `\n${signal}: ${good.rate}/s held for ${good.seconds} s, not over ${seconds} s ${where}`,
    );
  else console.log(`\n${signal}: no rate from ${startRate}/s up held without loss ${where}`);
  const shown = smoke ? good : confirmed;
  if (shown) console.log(usageTable(shown));
  if (failed) {
    console.log(`first failed step, ${failed.rate}/s: ${evidence(failed)}`);
    console.log(usageTable(failed));
  }
}

for (const [signal, outcome] of Object.entries(found)) summary(signal, outcome);
await client.close();
