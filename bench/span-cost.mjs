// CPU per span, the lean span path against the SDK's (OBSKIT_SPAN_PATH=sdk): a server span
// with the hello route's attributes, started, filled, ended and exported to the local sink, in
// bursts of 256 at a rate the export keeps up with. The app's thread is timed inside the
// bursts; all threads from process.cpuUsage(), the export thread included.
//
//   node bench/span-cost.mjs
//   BENCH_ROUNDS=3 BENCH_SPANS=50000

import { spawn } from 'node:child_process';
import {
  median,
  preload,
  ratioWithSpread,
  root,
  roundOrder,
  setting,
  startSink,
} from './harness.mjs';

const rounds = setting('BENCH_ROUNDS', 3, 1);
const spans = setting('BENCH_SPANS', 50_000, 5_000);

const app = `
const api = require('@opentelemetry/api');
const tracer = api.trace.getTracer('bench', '1.0.0');
const attributes = { 'http.request.method': 'GET', 'url.scheme': 'http', 'url.path': '/hello',
  'server.address': '127.0.0.1', 'network.protocol.version': '1.1', 'client.address': '127.0.0.1',
  'network.peer.address': '127.0.0.1', 'network.peer.port': 51234, 'user_agent.original': 'autocannon',
  'server.port': 3000 };
function one() {
  const span = tracer.startSpan('GET', { kind: api.SpanKind.SERVER });
  for (const key in attributes) span.setAttribute(key, attributes[key]);
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('http.route', '/hello');
  span.updateName('GET /hello');
  span.end();
}
async function run(count) {
  let busy = 0;
  for (let done = 0; done < count; done += 256) {
    const started = performance.now();
    for (let i = 0; i < 256; i++) one();
    busy += performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return busy;
}
(async () => {
  await run(10240);
  const before = process.cpuUsage();
  const busy = await run(${spans});
  const cpu = process.cpuUsage(before);
  const { telemetryStats } = require('./');
  const { spansExported, spansDropped } = telemetryStats();
  console.log(JSON.stringify({ main: (busy * 1000) / ${spans}, all: (cpu.user + cpu.system) / ${spans}, spansExported, spansDropped }));
})();
`;

const sink = await startSink();
const env = (path) => ({
  ...process.env,
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`,
  OBSKIT_METRICS_PORT: '0',
  OBSKIT_SPAN_PATH: path,
});

function measure(path) {
  const child = spawn(process.execPath, [...preload, '-e', app], { cwd: root, env: env(path) });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  return new Promise((resolve) => child.on('exit', () => resolve(JSON.parse(out))));
}

const results = { sdk: [], lean: [] };
for (let round = 0; round < rounds; round++) {
  for (const path of roundOrder(Object.keys(results), round)) {
    const sample = await measure(path);
    results[path].push(sample);
    console.error(`round ${round + 1}/${rounds} ${path}: ${JSON.stringify(sample)}`);
  }
}
sink.close();

const of = (path, key) => results[path].map((sample) => sample[key]);
console.log(
  `\nCPU per span, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${rounds} interleaved rounds of ${spans} spans\n`,
);
console.log("| span path | app's thread | ratio (spread) | all threads | ratio (spread) |");
console.log('|---|---|---|---|---|');
for (const path of ['sdk', 'lean']) {
  console.log(
    `| ${path} | ${median(of(path, 'main')).toFixed(2)} µs | ${ratioWithSpread(of(path, 'main'), of('sdk', 'main'))} | ${median(of(path, 'all')).toFixed(2)} µs | ${ratioWithSpread(of(path, 'all'), of('sdk', 'all'))} |`,
  );
}
