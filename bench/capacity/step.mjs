// One step of the capacity bench: load processes under the preload make `rate` spans or log
// lines a second between them for `seconds`; then the count in Elasticsearch is polled until
// it is whole or stops moving. The backends' CPU and RSS are watched from the load's start to
// the end of that drain, and the pipeline's loss counters read before and after.

import { join } from 'node:path';
import { preload, root, spawnNode } from '../harness.mjs';
import { drain, lossSince, storedCount } from './pipeline.mjs';
import { watch } from './processes.mjs';

const loadApp = join(root, 'bench', 'capacity', 'load.cjs');

/** The load may take this much longer than its window and still count as keeping its rate. */
const rateSlack = 1.05;

/** Runs one load process; resolves with the JSON line it prints last. */
function runLoad(env) {
  const child = spawnNode([...preload, loadApp], env, ['ignore', 'pipe', 'inherit'], false);
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop();
      if (code === 0 && last?.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`capacity load exited with ${code}: ${out.slice(-500)}`));
    }),
  );
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

/**
 * `context`: { client, backends, counters(), loadEnv(signal), processes, drainMs, lagMs }.
 * Returns the step's figures; `ok` when every item made is stored, within `lagMs` of the
 * window's end (a pipeline whose backlog grows is not keeping up, though a short window lets
 * it drain after), and the load kept its rate.
 */
export async function runStep(context, signal, rate, seconds) {
  const service = `capacity-${signal}-${Date.now().toString(36)}`;
  const before = await context.counters();
  const watcher = watch(context.backends);
  const env = {
    ...context.loadEnv(signal),
    OTEL_SERVICE_NAME: service,
    SIGNAL: signal,
    RATE: String(rate / context.processes),
    DURATION_S: String(seconds),
  };
  const reports = await Promise.all(Array.from({ length: context.processes }, () => runLoad(env)));
  const made = sum(reports.map((r) => r.made));
  const makingSeconds = Math.max(...reports.map((r) => r.makingMs)) / 1000;
  const behindAtEnd = made - (await storedCount(context.client, signal, service).catch(() => 0));
  const { stored, drainMs } = await drain(context.client, signal, service, made, context.drainMs);
  const usage = watcher.stop();
  const after = await context.counters();
  const appDropped = sum(reports.map((r) => (signal === 'spans' ? r.spansDropped : r.logDropped)));
  const kept = makingSeconds <= seconds * rateSlack;
  return {
    signal,
    rate,
    seconds,
    made,
    stored,
    lost: made - stored,
    achieved: made / makingSeconds,
    kept,
    appDropped,
    pipeline: lossSince(before, after),
    behindAtEnd,
    drainMs,
    usage,
    loadCpu: sum(reports.map((r) => r.cpuSeconds)),
    ok: stored >= made && kept && drainMs <= context.lagMs,
  };
}
