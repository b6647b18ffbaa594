// What the benchmarks share: the hello app under a given preload, a local sink for every
// tracer's exports, the load generator, CPU pinning, CPU time from /proc, and medians and
// spreads of per-round ratios.

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
 * BENCH_SMOKE=1: one short round of a bench, its figures printed but not judged. `make test`
 * runs every bench so, so that a move that breaks a bench breaks the build.
 */
export const smoke = process.env.BENCH_SMOKE === '1';

/** A number from variable `name`; else `smokeValue` in smoke mode; else `fallback`. */
export function setting(name, fallback, smokeValue = fallback) {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') return Number(raw);
  return smoke ? smokeValue : fallback;
}

/**
 * With two cores or more, the app runs on core 1 and this process (load generator and sink) on
 * core 0, so that neither steals the other's CPU.
 */
export const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pinned) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)]);

/**
 * Accepts every export with the answer its client expects (OTLP: an empty protobuf; Elastic
 * APM: its server version at `/`; Datadog's agent: JSON), so that exporting costs each tracer
 * what it would cost against its own backend. `server.received` counts requests and bytes.
 */
export function startSink() {
  const received = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    received.requests++;
    req.on('data', (chunk) => {
      received.bytes += chunk.length;
    });
    req.on('end', () => {
      if (req.url.startsWith('/v1/'))
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else if (req.url === '/') res.end('{"version":"8.15.0"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.received = received;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A port free now on 127.0.0.1, for a listener of the app's (the preload's /metrics). */
export function freePort() {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }),
  );
}

/**
 * Spawns node with `args`, on core 1 when `pin` and pinned; `env` is added to the bench's own.
 * Its /metrics stays out of a running local stack's Prometheus: a bench app is no user's service.
 */
export function spawnNode(args, env, stdio = ['ignore', 'pipe', 'inherit'], pin = true) {
  const node = [process.execPath, ...args];
  const [command, ...commandArgs] = pin && pinned ? ['taskset', '-c', '1', ...node] : node;
  return spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, OBSKIT_METRICS_REGISTER: 'false', ...env },
    stdio,
  });
}

/** Starts the hello app with node `args` and `env`; resolves once it listens. */
export function startApp(args, env, sinkPort) {
  const started = process.hrtime.bigint();
  const child = spawnNode([...args, helloApp], {
    OTEL_SERVICE_NAME: 'bench-hello',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    ...env,
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

/**
 * With BENCH_CPU_PROF=<dir>, each app writes a CPU profile (`--cpu-prof`, 100 µs samples) under
 * `<dir>/<mode>/`; it then stops on SIGTERM by exiting, so that node writes the profile.
 */
export const profileDir = process.env.BENCH_CPU_PROF;

export function profileArgs(mode) {
  if (!profileDir) return [];
  const dir = join(profileDir, mode.replace(/[^\w.-]+/g, '-'));
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '100', '-r', exitOnTerm];
}

const exitOnTerm = join(root, 'bench', 'exit-on-term.cjs');

export const stop = (child) =>
  new Promise((resolve) => child.once('exit', resolve).kill(profileDir ? 'SIGTERM' : 'SIGKILL'));

export const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** CPU seconds a process has used so far, user + system, all its threads (/proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export const load = (port, options) =>
  autocannon({ url: `http://127.0.0.1:${port}/hello`, connections: 50, ...options });

/** The middle value; with an even count, the mean of the two middle ones. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? (sorted[middle - 1] + sorted[middle]) / 2
    : sorted[Math.floor(middle)];
};

/** The median over rounds of each round's ratio to the baseline of that same round. */
export const ratioPerRound = (values, baseline) => median(values.map((v, i) => v / baseline[i]));

/** `1.23× (1.20–1.31)`: the median of the per-round ratios and their spread. */
export function ratioWithSpread(values, baseline) {
  const ratios = values.map((v, i) => v / baseline[i]);
  const f = (x) => x.toFixed(2);
  return `${f(median(ratios))}× (${f(Math.min(...ratios))}–${f(Math.max(...ratios))})`;
}

/** The modes to run: all of `modes`, or those BENCH_MODES names (comma-separated), baseline first. */
export function selectModes(modes, baseline = 'none') {
  const wanted = process.env.BENCH_MODES?.split(',').map((m) => m.trim());
  return Object.fromEntries(
    Object.entries(modes).filter(([name]) => name === baseline || !wanted || wanted.includes(name)),
  );
}

/** Rotates the order of the modes each round, so that none always runs first or last. */
export const roundOrder = (modes, round) => modes.map((_, i, all) => all[(i + round) % all.length]);
