// What the preload costs an Express hello route, against no instrumentation and against
// @opentelemetry/auto-instrumentations-node, in interleaved runs of one session, all three
// exporting OTLP/HTTP to the same local sink. Prints medians and ratios to the baseline.
// The preload runs as users get it: traces and /metrics on.
//
//   node bench/preload-overhead.mjs            (BENCH_ROUNDS=3 BENCH_SECONDS=10 by default)

import { setTimeout as sleep } from 'node:timers/promises';
import {
  load,
  median,
  pinned,
  preload,
  ratioPerRound,
  roundOrder,
  rssMb,
  startApp,
  startSink,
  stop,
} from './harness.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const fixedRate = Number(process.env.BENCH_RATE ?? 1000);
const startupsPerRound = Number(process.env.BENCH_STARTUPS ?? 3);

const modes = {
  none: [],
  obskit: preload,
  'auto-instrumentations': ['-r', '@opentelemetry/auto-instrumentations-node/register'],
};

async function measure(args, sinkPort) {
  const { child, port } = await startApp(args, {}, sinkPort);
  await sleep(1000);
  const idleRss = rssMb(child.pid);
  await load(port, { duration: 2 });
  const throughput = (await load(port, { duration: seconds })).requests.average;
  const p99 = (await load(port, { duration: seconds, overallRate: fixedRate })).latency.p99;
  await stop(child);
  return { idleRss, throughput, p99 };
}

async function startupTime(args, sinkPort) {
  const { child, startupMs } = await startApp(args, {}, sinkPort);
  await stop(child);
  return startupMs;
}

const sink = await startSink();
const sinkPort = sink.address().port;
const results = Object.fromEntries(
  Object.keys(modes).map((m) => [m, { idleRss: [], throughput: [], p99: [], startup: [] }]),
);
for (let round = 0; round < rounds; round++) {
  // Startup samples spread over the rounds, like the rest, so that a noisy minute hits all modes.
  for (let i = 0; i < startupsPerRound; i++) {
    for (const mode of roundOrder(Object.keys(modes), round + i)) {
      results[mode].startup.push(await startupTime(modes[mode], sinkPort));
    }
  }
  for (const mode of roundOrder(Object.keys(modes), round)) {
    const sample = await measure(modes[mode], sinkPort);
    for (const key of Object.keys(sample)) results[mode][key].push(sample[key]);
    console.error(
      `round ${round + 1}/${rounds} ${mode}: ${Math.round(sample.throughput)} req/s, p99 ${sample.p99} ms`,
    );
  }
}
sink.close();

const base = Object.fromEntries(Object.entries(results.none).map(([k, v]) => [k, median(v)]));
console.log(
  `\nExpress hello route, ${rounds} interleaved rounds of ${seconds} s, 50 connections, node ${process.version}${pinned ? ', app pinned to its own core' : ''}`,
);
console.log(
  'mode                   throughput      ratio  p99 @%d rps  startup added  idle RSS added',
  fixedRate,
);
for (const [mode, values] of Object.entries(results)) {
  const m = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, median(v)]));
  const ratio = ratioPerRound(values.throughput, results.none.throughput);
  console.log(
    `${mode.padEnd(22)} ${`${Math.round(m.throughput)} req/s`.padEnd(15)} ${ratio.toFixed(2).padEnd(6)} ${`${m.p99} ms`.padEnd(12)} ${`${Math.round(m.startup - base.startup)} ms`.padEnd(14)} ${(m.idleRss - base.idleRss).toFixed(1)} MB`,
  );
}
