// What an outage of every Elasticsearch node costs a topology's trace path: traces of 3 spans
// posted to Jaeger's OTLP/HTTP receiver every 50 ms, each trace ID kept when Jaeger answered 200;
// every Elasticsearch node stopped for the outage, then started; after a drain, the acknowledged
// traces not stored whole in Elasticsearch are the loss. The stack runs on ports and in a run
// directory of its own, beside any running stack: the Kafka cluster test's ports, and its
// helpers for sending and counting (built in dist/test), so both count the same way.
//
//   node bench/outage.mjs                          the single topology, a 180 s outage
//   BENCH_TOPOLOGY=cluster node bench/outage.mjs   the cluster: Kafka between collector and ingester
//   BENCH_OUTAGE_SECONDS=60 BENCH_DRAIN_SECONDS=60

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, setting } from './harness.mjs';

const helpers = await import(join(root, 'dist', 'test', 'helpers', 'kafka-cluster.js'));
const { elasticsearchClient } = await import(
  join(root, 'dist', 'stack', 'elasticsearch-client.js')
);
const { countedLoop } = await import(join(root, 'dist', 'test', 'helpers', 'counted-loop.js'));

const topology = process.env.BENCH_TOPOLOGY === 'cluster' ? 'cluster' : 'single';
const outageMs = setting('BENCH_OUTAGE_SECONDS', 180, 5) * 1000;
const drainMs = setting('BENCH_DRAIN_SECONDS', 60, 20) * 1000;
const backends = topology === 'cluster' ? 'elasticsearch,kafka,jaeger' : 'elasticsearch,jaeger';
const runDir = mkdtempSync(join(tmpdir(), 'obskit-outage-'));
const env = {
  ...process.env,
  ...helpers.kafkaClusterEnv,
  OBSKIT_TOPOLOGY: topology,
  OBSKIT_RUN_DIR: runDir,
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function stack(verb, only = backends) {
  const cli = join(root, 'dist', 'cli', 'main.js');
  const result = spawnSync(
    process.execPath,
    [cli, 'stack', verb, '--topology', topology, '--only', only],
    {
      env,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`stack ${verb} ${only}: ${result.stdout}${result.stderr}`);
}

/** Acknowledged traces not stored whole, polled until none is missing or the drain ends. */
async function missingAfterDrain(client, prefix, acknowledged) {
  const deadline = Date.now() + drainMs;
  for (;;) {
    const missing = helpers.missingOf(acknowledged, await helpers.storedSpans(client, prefix));
    if (missing.length === 0 || Date.now() > deadline) return missing.length;
    await sleep(1000);
  }
}

stack('up');
const client = elasticsearchClient(
  helpers.esPorts.slice(0, topology === 'cluster' ? 3 : 1).map(([http]) => http),
);
try {
  const ids = helpers.traceIds();
  const acknowledged = [];
  const load = countedLoop(async (n) => {
    await helpers.sendTrace(ids.id(n), 'outage-bench');
    acknowledged.push(ids.id(n));
  }, 50);
  await sleep(5000);
  const before = acknowledged.length;
  stack('down', 'elasticsearch');
  await sleep(outageMs);
  const during = acknowledged.length - before;
  stack('up', 'elasticsearch');
  await sleep(5000);
  const counts = await load.stop();
  const lost = await missingAfterDrain(client, ids.prefix, acknowledged);
  console.log(
    `\nEvery Elasticsearch node stopped ${outageMs / 1000} s, ${topology} topology, ${new Date().toISOString().slice(0, 16)}Z: traces of ${helpers.spansPerTrace} spans every 50 ms, counted by trace ID after ${drainMs / 1000} s of drain\n`,
  );
  console.log(
    '| topology | acknowledged | of them during the outage | posts refused | lost (acknowledged, not stored whole) |',
  );
  console.log('|---|---|---|---|---|');
  console.log(`| ${topology} | ${acknowledged.length} | ${during} | ${counts.failed} | ${lost} |`);
} finally {
  await client.close();
  stack('down');
  rmSync(runDir, { recursive: true, force: true });
  rmSync(helpers.kafkaRunDir, { recursive: true, force: true });
}
