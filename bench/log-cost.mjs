// What one log line costs the app with the obskit logger: console JSON (the default), syslog
// over TCP and Fluentd forward (each until the receiver has the line), and a call at a
// disabled level. Each round runs every mode in its own process, pinned to its own core, and
// measures CPU time per line; the receivers here discard what they get (Fluentd's acknowledge).
//
//   node bench/log-cost.mjs            (BENCH_ROUNDS=5 BENCH_LINES=20000 by default)

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { median, pinned, ratioPerRound, root, roundOrder, setting } from './harness.mjs';

const rounds = setting('BENCH_ROUNDS', 5, 1);
const lines = setting('BENCH_LINES', 20_000, 2000);
const disabledCalls = 1_000_000;

/** A syslog receiver that reads and discards. */
function startSyslogSink() {
  const server = createServer((socket) => socket.resume());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A forward receiver that acknowledges every chunk, as Fluentd does with require_ack_response. */
function startForwardSink() {
  const msgpack = createRequire(join(root, 'node_modules', 'fluent-logger', 'package.json'))(
    'msgpack-lite',
  );
  const server = createServer((socket) => {
    const decoder = msgpack.createDecodeStream();
    socket.pipe(decoder).on('data', (message) => {
      const chunk = message.at(-1)?.chunk;
      if (chunk) socket.write(msgpack.encode({ ack: chunk }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs in the child: logs, waits until the transport has shipped everything, prints ns/line. */
async function child(mode) {
  const { logger } = await import(join(root, 'dist', 'instrumentation', 'logs', 'logger.js'));
  const { telemetryStats } = await import(join(root, 'dist', 'instrumentation', 'api.js'));
  const shipped = () => Object.values(telemetryStats().logs).reduce((n, t) => n + t.shipped, 0);
  const calls = mode === 'disabled level' ? disabledCalls : lines;
  const log = (i) =>
    mode === 'disabled level'
      ? logger.debug('cart updated', { cart_id: 'c-42', items: i })
      : logger.info('cart updated', { cart_id: 'c-42', items: i });
  for (let i = 0; i < 1000; i++) log(i);
  while (mode !== 'console' && mode !== 'disabled level' && shipped() < 1000)
    await new Promise((r) => setTimeout(r, 5));
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) log(i);
  // Waiting in a timer costs no CPU; the socket writes in between are part of the cost.
  while (mode !== 'console' && mode !== 'disabled level' && shipped() < 1000 + calls)
    await new Promise((r) => setTimeout(r, 1));
  const cpu = process.cpuUsage(before);
  process.stderr.write(
    `${JSON.stringify({ nsPerLine: ((cpu.user + cpu.system) * 1000) / calls })}\n`,
  );
  process.exit(0);
}

function runChild(mode, env) {
  const node = [process.execPath, join(root, 'bench', 'log-cost.mjs'), '--child', mode];
  const [command, ...args] = pinned ? ['taskset', '-c', '1', ...node] : node;
  const proc = spawn(command, args, {
    // A queue that holds every line: this measures the cost of a line, not a full queue.
    env: {
      ...process.env,
      OBSKIT_METRICS_REGISTER: 'false',
      OTEL_SERVICE_NAME: 'bench-logs',
      OBSKIT_LOG_QUEUE_SIZE: String(lines * 2),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) =>
    proc.on('exit', (code) => {
      const match = /\{"nsPerLine":[^}]+\}/.exec(stderr);
      if (code === 0 && match) resolve(JSON.parse(match[0]).nsPerLine);
      else reject(new Error(`${mode} exited with ${code}: ${stderr}`));
    }),
  );
}

async function main() {
  const [syslog, forward] = await Promise.all([startSyslogSink(), startForwardSink()]);
  const modes = {
    console: { OBSKIT_LOG_TRANSPORTS: 'console' },
    'syslog tcp': {
      OBSKIT_LOG_TRANSPORTS: 'syslog',
      OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${syslog.address().port}`,
    },
    fluentd: {
      OBSKIT_LOG_TRANSPORTS: 'fluentd',
      OBSKIT_LOG_FLUENTD_URL: `tcp://127.0.0.1:${forward.address().port}`,
    },
    'disabled level': { OBSKIT_LOG_TRANSPORTS: 'console', OBSKIT_LOG_LEVEL: 'info' },
  };
  const names = Object.keys(modes);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of roundOrder(names, round))
      results[name].push(await runChild(name, modes[name]));
  }
  console.log(
    `CPU time per line, median of ${rounds} rounds (${lines} lines, ${disabledCalls} disabled calls)${pinned ? ', app pinned to core 1' : ''}:`,
  );
  for (const name of names) {
    const ratio = ratioPerRound(results[name], results.console).toFixed(2);
    console.log(
      `  ${name.padEnd(15)} ${(median(results[name]) / 1000).toFixed(2).padStart(7)} µs   ${ratio}x console`,
    );
  }
  syslog.close();
  forward.close();
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
