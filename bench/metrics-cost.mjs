// What the RED metrics cost: the same instrumented hello route with /metrics on and off
// (OBSKIT_METRICS_PORT=0), in interleaved rounds, and how long one scrape of /metrics takes
// in each exposition format once the route has served load.
//
//   node bench/metrics-cost.mjs                (BENCH_ROUNDS=5 BENCH_SECONDS=8 by default)

import { performance } from 'node:perf_hooks';
import {
  freePort,
  load,
  median,
  pinned,
  preload,
  ratioPerRound,
  roundOrder,
  setting,
  startApp,
  startSink,
  stop,
} from './harness.mjs';

const rounds = setting('BENCH_ROUNDS', 5, 1);
const seconds = setting('BENCH_SECONDS', 8, 1);
// Not 9464 by default: a demo or a test may hold it.
const metricsPort = Number(process.env.BENCH_METRICS_PORT ?? (await freePort()));
const scrapes = 200;

const modes = {
  'metrics off': { OBSKIT_METRICS_PORT: '0' },
  'metrics on': { OBSKIT_METRICS_PORT: String(metricsPort) },
};

async function scrapeMs(accept) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < scrapes; i++) {
    const started = performance.now();
    const body = await (
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { accept } })
    ).text();
    times.push(performance.now() - started);
    bytes = body.length;
  }
  return { ms: median(times), bytes };
}

const sink = await startSink();
const throughput = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
let scrape;
for (let round = 0; round < rounds; round++) {
  for (const mode of roundOrder(Object.keys(modes), round)) {
    const { child, port } = await startApp(preload, modes[mode], sink.address().port);
    await load(port, { duration: 2 });
    throughput[mode].push((await load(port, { duration: seconds })).requests.average);
    if (mode === 'metrics on' && round === 0) {
      scrape = {
        prometheus: await scrapeMs('text/plain'),
        openMetrics: await scrapeMs('application/openmetrics-text'),
      };
    }
    await stop(child);
    console.error(
      `round ${round + 1}/${rounds} ${mode}: ${Math.round(throughput[mode].at(-1))} req/s`,
    );
  }
}
sink.close();

const ratio = ratioPerRound(throughput['metrics on'], throughput['metrics off']);
console.log(
  `\nRED metrics on the instrumented hello route, ${rounds} rounds of ${seconds} s, node ${process.version}${pinned ? ', app pinned to its own core' : ''}`,
);
console.log(
  `throughput: metrics off ${Math.round(median(throughput['metrics off']))} req/s, on ${Math.round(median(throughput['metrics on']))} req/s, ratio ${ratio.toFixed(2)}`,
);
console.log(
  `one scrape of /metrics (median of ${scrapes}): Prometheus text ${scrape.prometheus.ms.toFixed(2)} ms (${scrape.prometheus.bytes} bytes), OpenMetrics ${scrape.openMetrics.ms.toFixed(2)} ms (${scrape.openMetrics.bytes} bytes)`,
);
