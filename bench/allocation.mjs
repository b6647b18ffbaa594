// Bytes allocated per request on the Express hello route, per mode, and where the preload
// allocates them. Unlike time, a count of bytes does not move with the machine's load: it is the
// benchmark's noise-free view of the work a tracer adds (allocation is what feeds the GC, which
// runs on V8's helper threads). V8's sampling heap profiler counts every allocation, those
// already collected included, over a window at a fixed rate.
//
//   node bench/allocation.mjs
//   BENCH_ROUNDS=3 BENCH_SECONDS=5 BENCH_RATE=400 BENCH_MODES=obskit,dd-trace BENCH_TOP=15

import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort,
  load,
  median,
  ratioWithSpread,
  root,
  roundOrder,
  selectModes,
  setting,
  startApp,
  startSink,
} from './harness.mjs';
import { peerVersions, tracers } from './peers.mjs';

const rounds = setting('BENCH_ROUNDS', 3, 1);
const seconds = setting('BENCH_SECONDS', 5, 1);
const rate = setting('BENCH_RATE', 400);
const top = setting('BENCH_TOP', 15);

const sink = await startSink();
const sinkPort = sink.address().port;
const modes = selectModes(tracers(`http://127.0.0.1:${sinkPort}`, await freePort()));
const sampler = ['-r', join(root, 'bench', 'sample-allocations.cjs')];

/** Where a profile node's code lives: a package, the preload's file, or node's own. */
function placeOf({ url, functionName }) {
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  const where = pkg ? pkg[1] : url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  return `${where || '(native)'} ${functionName || '(anonymous)'}`;
}

/** Self bytes per place, summed over the profile's tree. */
function bytesByPlace(profile) {
  const places = new Map();
  const walk = (node) => {
    const place = placeOf(node.callFrame);
    places.set(place, (places.get(place) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return places;
}

async function measure(mode) {
  const file = join(tmpdir(), `obskit-allocation-${process.pid}.json`);
  const { args, env } = modes[mode];
  const { child, port } = await startApp(
    [...sampler, ...args],
    {
      ...env,
      BENCH_ALLOCATION_PROFILE: file,
    },
    sinkPort,
  );
  const fixed = { overallRate: rate, connections: 10 };
  await load(port, { ...fixed, duration: 2 });
  child.kill('SIGUSR2');
  await sleep(100);
  const steady = await load(port, { ...fixed, duration: seconds });
  await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
  const places = bytesByPlace(JSON.parse(readFileSync(file, 'utf8')));
  rmSync(file);
  const total = [...places.values()].reduce((sum, bytes) => sum + bytes, 0);
  return { perRequest: total / steady.requests.total, places, requests: steady.requests.total };
}

const results = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
for (let round = 0; round < rounds; round++) {
  for (const mode of roundOrder(Object.keys(modes), round)) {
    const sample = await measure(mode);
    results[mode].push(sample);
    console.error(
      `round ${round + 1}/${rounds} ${mode}: ${Math.round(sample.perRequest)} B/request`,
    );
  }
}
sink.close();

const perRequest = (mode) => results[mode].map((s) => s.perRequest);
console.log(
  `\nBytes allocated per request, Express hello route, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rounds} interleaved rounds of ${seconds} s at ${rate} req/s`,
);
console.log(`peers: ${peerVersions().join(', ')}\n`);
console.log('| mode | allocated per request | ratio (spread) |');
console.log('|---|---|---|');
for (const mode of Object.keys(modes)) {
  const bytes = Math.round(median(perRequest(mode)));
  console.log(
    `| ${mode} | ${bytes} B | ${ratioWithSpread(perRequest(mode), perRequest('none'))} |`,
  );
}

// Where obskit's bytes go: per place, its median bytes per request less the baseline's.
if (results.obskit) {
  const perPlace = (mode, place) =>
    median(results[mode].map((s) => (s.places.get(place) ?? 0) / s.requests));
  const places = new Set(results.obskit.flatMap((s) => [...s.places.keys()]));
  const added = [...places]
    .map((place) => [place, perPlace('obskit', place) - perPlace('none', place)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  console.log(
    `\nobskit's ${top} places that allocate the most more than the baseline, per request:\n`,
  );
  console.log('| place | bytes added |');
  console.log('|---|---|');
  for (const [place, bytes] of added) console.log(`| \`${place}\` | ${Math.round(bytes)} |`);
}
