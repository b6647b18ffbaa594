// What the preload costs an Express hello route, against no instrumentation and against every
// tracer a user would pick instead (bench/peers.mjs), in interleaved rounds of one session, all
// exporting to the same local sink with sampling 1.0. The preload runs as users get it: traces
// exported and /metrics on. Per round and mode, in a fresh app pinned to its own core:
// - CPU per request: the app's user + system time from /proc/<pid>/stat over a window at a
//   fixed rate, divided by the requests it served; it does not depend on how busy the other
//   core is, so it is the figure to trust on a shared machine;
// - p50 and p99 latency in that window; throughput at saturation (50 connections) after it;
// - startup (spawn to listening) and idle RSS.
// Each figure is printed as the median over rounds of its ratio to the baseline of the same
// round, with the spread of those ratios.
//
//   node bench/preload-overhead.mjs
//   BENCH_ROUNDS=4 BENCH_SECONDS=8 BENCH_RATE=400 BENCH_THROUGHPUT_SECONDS=4 BENCH_STARTUPS=1
//   BENCH_MODES=obskit,dd-trace  (the baseline always runs)
//   BENCH_CPU_PROF=/tmp/prof     (a CPU profile of each measured app, per mode)

import { setTimeout as sleep } from 'node:timers/promises';
import {
  cpuSeconds,
  freePort,
  load,
  median,
  pinned,
  profileArgs,
  ratioWithSpread,
  roundOrder,
  rssMb,
  selectModes,
  setting,
  startApp,
  startSink,
  stop,
} from './harness.mjs';
import { peerVersions, tracers } from './peers.mjs';

const rounds = setting('BENCH_ROUNDS', 4, 1);
const seconds = setting('BENCH_SECONDS', 8, 1);
const rate = setting('BENCH_RATE', 400);
const throughputSeconds = setting('BENCH_THROUGHPUT_SECONDS', 4, 1);
const extraStartups = setting('BENCH_STARTUPS', 1, 0);
const afterTrafficMs = setting('BENCH_IDLE_AFTER_MS', 3000, 0);

const sink = await startSink();
const modes = selectModes(tracers(`http://127.0.0.1:${sink.address().port}`, await freePort()));
const sinkPort = sink.address().port;

async function measure(mode) {
  const { args, env } = modes[mode];
  const exportsBefore = sink.received.requests;
  const { child, port, startupMs } = await startApp([...profileArgs(mode), ...args], env, sinkPort);
  await sleep(1000);
  const idleRss = rssMb(child.pid);
  const fixed = { overallRate: rate, connections: 10 };
  await load(port, { ...fixed, duration: 3 });
  const cpuBefore = cpuSeconds(child.pid);
  const steady = await load(port, { ...fixed, duration: seconds });
  const cpuUs = ((cpuSeconds(child.pid) - cpuBefore) * 1e6) / steady.requests.total;
  const loadRss = rssMb(child.pid);
  const throughput = (await load(port, { duration: throughputSeconds })).requests.average;
  // As users see it: the export thread has started, the traffic is over, the process idles.
  await sleep(afterTrafficMs);
  const afterRss = rssMb(child.pid);
  await stop(child);
  return {
    cpuUs,
    throughput,
    p50: steady.latency.p50,
    p99: steady.latency.p99,
    startup: startupMs,
    idleRss,
    loadRss,
    afterRss,
    exports: sink.received.requests - exportsBefore,
  };
}

async function startupTime({ args, env }) {
  const { child, startupMs } = await startApp(args, env, sinkPort);
  await stop(child);
  return startupMs;
}

const keys = [
  'cpuUs',
  'throughput',
  'p50',
  'p99',
  'startup',
  'idleRss',
  'loadRss',
  'afterRss',
  'exports',
];
const results = Object.fromEntries(
  Object.keys(modes).map((m) => [m, Object.fromEntries(keys.map((k) => [k, []]))]),
);
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < extraStartups; i++) {
    for (const mode of roundOrder(Object.keys(modes), round + i)) {
      results[mode].startup.push(await startupTime(modes[mode]));
    }
  }
  for (const mode of roundOrder(Object.keys(modes), round)) {
    const sample = await measure(mode);
    for (const key of keys) results[mode][key].push(sample[key]);
    console.error(
      `round ${round + 1}/${rounds} ${mode}: ${Math.round(sample.cpuUs)} µs CPU/request at ${rate} req/s, p99 ${sample.p99} ms, ${Math.round(sample.throughput)} req/s, ${sample.exports} exports`,
    );
  }
}
sink.close();

const none = results.none;
const m = (values) => median(values);
const added = (values, base) => m(values) - m(base);
const rssAdded = (base, values, baseline) =>
  base ? '—' : `${added(values, baseline).toFixed(1)} MB`;
console.log(
  `\nExpress hello route, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rounds} interleaved rounds: ${seconds} s at ${rate} req/s (10 connections), then ${throughputSeconds} s at saturation (50 connections)${pinned ? ', app pinned to its own core' : ''}`,
);
console.log(`peers: ${peerVersions().join(', ')}\n`);
console.log(
  `| mode | CPU per request | ratio (spread) | throughput | ratio (spread) | p50 / p99 at ${rate} req/s | p99 ratio (spread) | startup added | idle RSS added | RSS added under load | RSS added after traffic | exports |`,
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const [mode, v] of Object.entries(results)) {
  const base = mode === 'none';
  console.log(
    `| ${mode} | ${Math.round(m(v.cpuUs))} µs | ${ratioWithSpread(v.cpuUs, none.cpuUs)} | ${Math.round(m(v.throughput))} req/s | ${ratioWithSpread(v.throughput, none.throughput)} | ${m(v.p50)} / ${m(v.p99)} ms | ${ratioWithSpread(v.p99, none.p99)} | ${base ? '—' : `${Math.round(added(v.startup, none.startup))} ms`} | ${rssAdded(base, v.idleRss, none.idleRss)} | ${rssAdded(base, v.loadRss, none.loadRss)} | ${rssAdded(base, v.afterRss, none.afterRss)} | ${m(v.exports)} |`,
  );
}
