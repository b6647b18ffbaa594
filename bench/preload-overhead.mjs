// What the preload costs an Express hello route, against no instrumentation and against
// @opentelemetry/auto-instrumentations-node, in interleaved runs of one session, all three
// exporting OTLP/HTTP to the same local sink. Prints medians and ratios to the baseline.
//
// On a machine with two cores or more the app runs pinned to core 1 and this process (the load
// generator and the sink) to core 0, so that neither steals the other's CPU.
//
//   node bench/preload-overhead.mjs            (BENCH_ROUNDS=3 BENCH_SECONDS=10 by default)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'test', 'fixtures', 'apps', 'hello.cjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const fixedRate = Number(process.env.BENCH_RATE ?? 1000);
const startupSamples = Number(process.env.BENCH_STARTUPS ?? 10);

const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)]);

const modes = {
  none: [],
  obskit: ['-r', join(root, 'instrumentation')],
  'auto-instrumentations': ['-r', '@opentelemetry/auto-instrumentations-node/register'],
};

/** Accepts every OTLP export, so that exporting costs the same for everyone. */
function startSink() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startApp(args, sinkPort) {
  const started = process.hrtime.bigint();
  const command = pinned
    ? ['taskset', ['-c', '1', process.execPath, ...args, app]]
    : [process.execPath, [...args, app]];
  const child = spawn(command[0], command[1], {
    cwd: root,
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: 'bench-hello',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`app exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      const match = /"listening":(\d+)/.exec(chunk.toString());
      if (!match) return;
      const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
      child.removeAllListeners('exit');
      resolve({ child, port: Number(match[1]), startupMs });
    });
  });
}

const stop = (child) => new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'));

const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const load = (port, options) =>
  autocannon({ url: `http://127.0.0.1:${port}/hello`, connections: 50, ...options });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(args, sinkPort) {
  const { child, port } = await startApp(args, sinkPort);
  await new Promise((r) => setTimeout(r, 1000));
  const idleRss = rssMb(child.pid);
  await load(port, { duration: 2 });
  const throughput = (await load(port, { duration: seconds })).requests.average;
  const p99 = (await load(port, { duration: seconds, overallRate: fixedRate })).latency.p99;
  await stop(child);
  return { idleRss, throughput, p99 };
}

async function startupTime(args, sinkPort) {
  const { child, startupMs } = await startApp(args, sinkPort);
  await stop(child);
  return startupMs;
}

const sink = await startSink();
const sinkPort = sink.address().port;
const results = Object.fromEntries(
  Object.keys(modes).map((m) => [m, { idleRss: [], throughput: [], p99: [], startup: [] }]),
);

for (let i = 0; i < startupSamples; i++) {
  for (const [mode, args] of Object.entries(modes))
    results[mode].startup.push(await startupTime(args, sinkPort));
}
for (let round = 0; round < rounds; round++) {
  // Rotate the order so that no mode always runs on a warmer or cooler machine.
  const order = Object.keys(modes).map((_, i, all) => all[(i + round) % all.length]);
  for (const mode of order) {
    const sample = await measure(modes[mode], sinkPort);
    for (const key of Object.keys(sample)) results[mode][key].push(sample[key]);
    console.error(
      `round ${round + 1}/${rounds} ${mode}: ${Math.round(sample.throughput)} req/s, p99 ${sample.p99} ms`,
    );
  }
}
sink.close();

// Each round's ratio to the baseline of the same round: drift of a shared machine cancels out.
const ratioTo = (mode, key) => median(results[mode][key].map((v, i) => v / results.none[key][i]));
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
  console.log(
    `${mode.padEnd(22)} ${`${Math.round(m.throughput)} req/s`.padEnd(15)} ${ratioTo(mode, 'throughput').toFixed(2).padEnd(6)} ${`${m.p99} ms`.padEnd(12)} ${`${Math.round(m.startup - base.startup)} ms`.padEnd(14)} ${(m.idleRss - base.idleRss).toFixed(1)} MB`,
  );
}
