// What the benchmarks share: the hello app under a given preload, a local OTLP sink, the load
// generator, CPU pinning, and medians of per-round ratios.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const helloApp = join(root, 'test', 'fixtures', 'apps', 'hello.cjs');
export const preload = ['-r', join(root, 'instrumentation')];

/**
 * With two cores or more, the app runs on core 1 and this process (load generator and sink) on
 * core 0, so that neither steals the other's CPU.
 */
export const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)]);

/** Accepts every OTLP export, so that exporting costs the same in every mode. */
export function startSink() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Starts the hello app with node `args` and `env`; resolves once it listens. */
export function startApp(args, env, sinkPort) {
  const started = process.hrtime.bigint();
  const node = [process.execPath, ...args, helloApp];
  const [command, ...commandArgs] = pinned ? ['taskset', '-c', '1', ...node] : node;
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: 'bench-hello',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      ...env,
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

export const stop = (child) =>
  new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'));

export const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

export const load = (port, options) =>
  autocannon({ url: `http://127.0.0.1:${port}/hello`, connections: 50, ...options });

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The median over rounds of each round's ratio to the baseline of that same round. */
export const ratioPerRound = (values, baseline) => median(values.map((v, i) => v / baseline[i]));

/** Rotates the order of the modes each round, so that none always runs first or last. */
export const roundOrder = (modes, round) => modes.map((_, i, all) => all[(i + round) % all.length]);
