// What the preload costs the demo workload: the load's request mix at a fixed rate against the
// gateway → two entity-service replicas → FerretDB + Redis of the running local stack
// (`obskit stack up`), with no instrumentation, with the obskit preload and with
// auto-instrumentations-node, in interleaved rounds, each tracer exporting to the same local
// sink. Per round and mode, on fresh services: the CPU per request of the gateway and of the replicas together from
// /proc/<pid>/stat over the measured window, and p50 and p99 latency as the load sees them; each
// printed as the median of its ratio to the baseline of the same round, with the spread.
// The services run from dist/demo-services as `obskit demo` plans them (demo-services/launch/),
// on ports of their own, logging to their console (discarded, the same in every mode), in a
// database of their own, dropped before each run and at the end.
//
//   node bench/demo-overhead.mjs
//   BENCH_ROUNDS=4 BENCH_SECONDS=15 BENCH_RATE=100 BENCH_MODES=obskit,auto-instrumentations-node
//   OBSKIT_PORT_GATEWAY=18080 OBSKIT_PORT_ENTITY_SERVICE=18051 OBSKIT_PORT_APP_METRICS=19464
//   BENCH_CPU_PROF=/tmp/prof     (a CPU profile of each service, per mode)

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient } from 'mongodb';
import {
  cpuSeconds,
  median,
  pinned,
  profileArgs,
  profileDir,
  ratioWithSpread,
  root,
  roundOrder,
  selectModes,
  setting,
  spawnNode,
  startSink,
} from './harness.mjs';
import { peerVersions, tracers } from './peers.mjs';

const dist = (...path) => join(root, 'dist', ...path);
const { demoPlan } = await import(dist('demo-services', 'launch', 'plan.js'));
const { checkDemoPorts } = await import(dist('demo-services', 'launch', 'services.js'));
const { localStackConfig } = await import(dist('stack', 'local-stack.js'));
const { backendPortOf } = await import(dist('stack', 'ports.js'));
const { tcpOk } = await import(dist('stack', 'health.js'));
const { startLoad, percentile } = await import(dist('demo-services', 'load', 'generator.js'));
const { requestMix } = await import(dist('demo-services', 'load', 'mix.js'));

const rounds = setting('BENCH_ROUNDS', 4, 1);
const seconds = setting('BENCH_SECONDS', 15, 2);
const rate = setting('BENCH_RATE', 100, 20);
const warmUpSeconds = setting('BENCH_WARM_UP_SECONDS', 5, 1);
const database = 'obskit_bench';
process.env.BENCH_MODES ??= 'obskit,auto-instrumentations-node';

// Ports of its own beside a running demo, and fixed addresses: the demo's etcd keys stay its own.
const benchEnv = {
  ...process.env,
  OBSKIT_PORT_GATEWAY: process.env.OBSKIT_PORT_GATEWAY ?? '18080',
  OBSKIT_PORT_ENTITY_SERVICE: process.env.OBSKIT_PORT_ENTITY_SERVICE ?? '18051',
  OBSKIT_PORT_APP_METRICS: process.env.OBSKIT_PORT_APP_METRICS ?? '19464',
  DISCOVERY: 'static',
};
const stack = localStackConfig(benchEnv);
const plan = demoPlan(stack, 2, benchEnv);
await checkDemoPorts(plan);
const sink = await startSink();
const sinkUrl = `http://127.0.0.1:${sink.address().port}`;
// Each service's /metrics port comes from the plan; the one given here is overridden.
const modes = selectModes(tracers(sinkUrl, 0));

/** The plan's environment, with the bench's sink, console logs and database. */
function serviceEnv(service, mode) {
  const env = {
    ...service.env,
    ...modes[mode].env,
    OBSKIT_METRICS_PORT: String(service.metricsPort),
    OBSKIT_LOG_TRANSPORTS: 'console',
    MONGODB_DB: database,
    ELASTIC_APM_SERVICE_NAME: service.service,
    DD_SERVICE: service.service,
  };
  delete env.OBSKIT_LOG_SYSLOG_URL;
  delete env.FAULTS_FILE;
  return env;
}

async function until(ready, what) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    if (await ready().catch(() => false)) return;
  }
  throw new Error(`${what} not ready within 30 s`);
}

/** Starts the replicas, then the gateway; resolves once each listens and the gateway is healthy. */
async function startServices(mode, processes) {
  const start = (service) => {
    const child = spawnNode(
      [
        ...profileArgs(`${mode}-${service.name}`),
        ...modes[mode].args,
        dist('demo-services', service.service, 'main.js'),
      ],
      serviceEnv(service, mode),
      ['ignore', 'ignore', 'inherit'],
      // Three services and FerretDB would queue on one core; the OS spreads them over both.
      false,
    );
    processes.push({ name: service.name, service: service.service, child });
  };
  for (const service of plan.services.filter((s) => s.service === 'entity-service')) start(service);
  for (const service of plan.services.filter((s) => s.service === 'gateway')) start(service);
  for (const service of plan.services) await until(() => tcpOk(service.port), service.name);
  await until(async () => (await fetch(`${plan.gatewayUrl}/health`)).ok, 'the gateway');
}

async function stopServices(processes) {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

const runLoad = (next, durationMs) =>
  startLoad({ baseUrl: plan.gatewayUrl, rate, durationMs, timeoutMs: 10_000, next }).done;

async function measure(mode) {
  const processes = [];
  let stats;
  let used;
  try {
    // Every mode starts from an empty collection: the list query slows as it grows.
    await dropDatabase();
    await startServices(mode, processes);
    const next = requestMix();
    await runLoad(next, warmUpSeconds * 1000);
    const cpu = () => processes.map(({ child }) => cpuSeconds(child.pid));
    const before = cpu();
    stats = await runLoad(next, seconds * 1000);
    used = cpu().map((after, i) => after - before[i]);
  } finally {
    await stopServices(processes);
  }
  const perRequestUs = (service) =>
    (processes.reduce((sum, p, i) => sum + (p.service === service ? used[i] : 0), 0) * 1e6) /
    stats.requests;
  const sorted = [...stats.latenciesMs].sort((a, b) => a - b);
  const bad =
    stats.failed +
    Object.entries(stats.byStatus).reduce(
      (n, [status, count]) => n + (Number(status) >= 500 ? count : 0),
      0,
    );
  return {
    gatewayUs: perRequestUs('gateway'),
    entityUs: perRequestUs('entity-service'),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: stats.requests,
    bad,
  };
}

async function dropDatabase() {
  const client = new MongoClient(`mongodb://127.0.0.1:${backendPortOf(stack, 'ferretdb')}/`, {
    serverSelectionTimeoutMS: 5000,
  });
  try {
    await client.connect();
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}

const keys = ['gatewayUs', 'entityUs', 'p50', 'p99', 'requests', 'bad'];
const results = Object.fromEntries(
  Object.keys(modes).map((m) => [m, Object.fromEntries(keys.map((k) => [k, []]))]),
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of roundOrder(Object.keys(modes), round)) {
      const sample = await measure(mode);
      for (const key of keys) results[mode][key].push(sample[key]);
      console.error(
        `round ${round + 1}/${rounds} ${mode}: gateway ${Math.round(sample.gatewayUs)} µs, entity-service ${Math.round(sample.entityUs)} µs CPU/request, p50 ${sample.p50.toFixed(1)} ms, p99 ${sample.p99.toFixed(1)} ms, ${sample.requests} requests, ${sample.bad} failed or 5xx${sample.bad > sample.requests / 100 ? ' (overloaded: this round is not comparable)' : ''}`,
      );
    }
  }
} finally {
  sink.close();
  await dropDatabase().catch(() => {});
}

const none = results.none;
const m = (values) => median(values);
console.log(
  `\nDemo workload, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rounds} interleaved rounds of ${seconds} s at ${rate} req/s (after ${warmUpSeconds} s of warm-up), gateway → 2 entity-service replicas → FerretDB + Redis${pinned ? ', load generator and sink pinned to core 0, services on either core' : ''}${profileDir ? ', profiled' : ''}`,
);
console.log(`peers: ${peerVersions().join(', ')}\n`);
console.log(
  '| mode | gateway CPU/request | ratio (spread) | entity-service CPU/request | ratio (spread) | p50 | ratio (spread) | p99 | ratio (spread) | failed or 5xx |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const [mode, v] of Object.entries(results)) {
  console.log(
    `| ${mode} | ${Math.round(m(v.gatewayUs))} µs | ${ratioWithSpread(v.gatewayUs, none.gatewayUs)} | ${Math.round(m(v.entityUs))} µs | ${ratioWithSpread(v.entityUs, none.entityUs)} | ${m(v.p50).toFixed(1)} ms | ${ratioWithSpread(v.p50, none.p50)} | ${m(v.p99).toFixed(1)} ms | ${ratioWithSpread(v.p99, none.p99)} | ${v.bad.reduce((a, b) => a + b, 0)} of ${v.requests.reduce((a, b) => a + b, 0)} |`,
  );
}
