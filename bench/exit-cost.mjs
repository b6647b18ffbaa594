// What the last flush costs at exit, and what the first seconds of a service cost, with and
// without the preload, in interleaved rounds of one session, exporting to a local OTLP sink.
// - exit: a script makes spans and calls process.exit(); the time from its last line to its
//   end, with no preload, with the preload and nothing queued, and with a full batch queued,
//   once at startup (the export thread still loading) and once a second later (thread ready).
// - first seconds: the hello app under a fixed rate from the moment it listens; p99 of the first
//   5 s against the 5 s after them.
//
//   node bench/exit-cost.mjs            (BENCH_ROUNDS=5 BENCH_RATE=200 by default)

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  load,
  median,
  pinned,
  preload,
  root,
  roundOrder,
  setting,
  startApp,
  startSink,
  stop,
} from './harness.mjs';

const rounds = setting('BENCH_ROUNDS', 5, 1);
const rate = setting('BENCH_RATE', 200);
const script = join(root, 'test', 'fixtures', 'apps', 'exit', 'script-exit.cjs');

const exitModes = {
  none: { args: [], spans: 512, afterMs: 0 },
  'obskit, nothing queued': { args: preload, spans: 0, afterMs: 0 },
  'obskit, 512 spans queued, at startup': { args: preload, spans: 512, afterMs: 0 },
  'obskit, 512 spans queued, after 1 s': { args: preload, spans: 512, afterMs: 1000 },
};

/** Milliseconds from the script's last line to its end. */
function exitMs({ args, spans, afterMs }, sinkPort) {
  const child = spawn(process.execPath, [...args, script], {
    cwd: root,
    env: {
      ...process.env,
      OBSKIT_METRICS_REGISTER: 'false',
      COUNT: String(spans),
      ...(afterMs ? { EXIT_AFTER_MS: String(afterMs) } : {}),
      OBSKIT_LOG_LEVEL: 'error',
      OBSKIT_METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', () => resolve(Date.now() - JSON.parse(stdout).exitingAt)),
  );
}

/** p99 latency (ms) of the first 5 s after the app listens, and of the 5 s after them. */
async function firstSeconds(args, sinkPort) {
  const { child, port } = await startApp(args, {}, sinkPort);
  const first = await load(port, { duration: 5, overallRate: rate, connections: 10 });
  const later = await load(port, { duration: 5, overallRate: rate, connections: 10 });
  await stop(child);
  return { first: first.latency.p99, later: later.latency.p99 };
}

const sink = await startSink();
const sinkPort = sink.address().port;
const exits = Object.fromEntries(Object.keys(exitModes).map((mode) => [mode, []]));
const starts = { none: { first: [], later: [] }, obskit: { first: [], later: [] } };
for (let round = 0; round < rounds; round++) {
  for (const mode of roundOrder(Object.keys(exitModes), round)) {
    exits[mode].push(await exitMs(exitModes[mode], sinkPort));
  }
  for (const mode of roundOrder(Object.keys(starts), round)) {
    const { first, later } = await firstSeconds(mode === 'none' ? [] : preload, sinkPort);
    starts[mode].first.push(first);
    starts[mode].later.push(later);
  }
}
sink.close();

const spread = (values) => `${Math.min(...values)}–${Math.max(...values)}`;
console.log(`${rounds} interleaved rounds${pinned ? ', app pinned to core 1' : ''}\n`);
console.log('| exit | median ms from last line to end | spread | added to none |');
console.log('|---|---|---|---|');
for (const [mode, values] of Object.entries(exits)) {
  const added = median(values) - median(exits.none);
  console.log(`| ${mode} | ${median(values)} | ${spread(values)} | ${added} |`);
}
console.log(`\n| first seconds at ${rate} req/s | p99 first 5 s | p99 next 5 s | first / next |`);
console.log('|---|---|---|---|');
for (const [mode, { first, later }] of Object.entries(starts)) {
  const ratio = median(first.map((value, i) => value / later[i])).toFixed(2);
  console.log(`| ${mode} | ${median(first)} ms | ${median(later)} ms | ${ratio} |`);
}
