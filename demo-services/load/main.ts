// The demo's load generator: `node dist/demo-services/load/main.js --rate 20 --duration 60`.
// A steady read/write mix against the gateway at a fixed rate, a progress line, and a summary
// (also as JSON with --summary FILE). Ctrl-C stops it after the requests in flight answer.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { numberIn } from '../../common/numbers';
import { type LoadStats, percentile, startLoad } from './generator';
import { requestMix } from './mix';

const usage = `usage: load [--url http://127.0.0.1:8080] [--rate 20] [--duration 0] [--summary file.json] [--hold]
  --rate       requests started per second (default 20)
  --duration   seconds to run; 0 runs until Ctrl-C (default 0)
  --summary    also write the summary as JSON to this file
  --hold       after --duration, stay until Ctrl-C, so that Prometheus scrapes the last counts
               of the preload's /metrics (obskit demo runs the load so)`;

function positive(name: string, raw: string, allowZero: boolean): number {
  const value = numberIn(raw, { min: 0, max: Number.POSITIVE_INFINITY, aboveMin: !allowZero });
  if (value === undefined) {
    process.stderr.write(
      `load: --${name} ${raw} is not a ${allowZero ? 'non-negative' : 'positive'} number\n${usage}\n`,
    );
    process.exit(2);
  }
  return value;
}

function summaryOf(stats: LoadStats) {
  const sorted = [...stats.latenciesMs].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: stats.requests,
    byStatus: stats.byStatus,
    failed: stats.failed,
    seconds: round(stats.elapsedMs / 1000),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
  };
}

function describe(stats: LoadStats, inFlight: number): string {
  const summary = summaryOf(stats);
  const classes: Record<string, number> = {};
  for (const [status, count] of Object.entries(stats.byStatus)) {
    classes[`${status[0]}xx`] = (classes[`${status[0]}xx`] ?? 0) + count;
  }
  const counts = Object.entries(classes)
    .sort()
    .map(([c, n]) => `${c} ${n}`)
    .join('  ');
  return `load ${summary.seconds.toFixed(0)}s  requests ${stats.requests}  ${counts}  failed ${stats.failed}  in flight ${inFlight}  p50 ${summary.latencyMs.p50} ms  p99 ${summary.latencyMs.p99} ms`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      rate: { type: 'string', default: '20' },
      duration: { type: 'string', default: '0' },
      summary: { type: 'string' },
      hold: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const load = startLoad({
    baseUrl: values.url.replace(/\/$/, ''),
    rate: positive('rate', values.rate, false),
    durationMs: positive('duration', values.duration, true) * 1000,
    timeoutMs: 10_000,
    next: requestMix(),
  });
  let signalled = false;
  let hold: NodeJS.Timeout | undefined;
  const stop = () => {
    signalled = true;
    load.stop();
    clearInterval(hold);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // On a terminal one line rewritten each second; in a log a line every 10 seconds.
  const tty = process.stdout.isTTY;
  const progress = setInterval(
    () => {
      const line = describe({ ...load.stats, elapsedMs: load.elapsedMs() }, load.inFlight());
      process.stdout.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    tty ? 1000 : 10_000,
  );

  load.done.then((stats) => {
    clearInterval(progress);
    process.stdout.write(`${tty ? '\r\x1b[K' : ''}${describe(stats, 0)}  (done)\n`);
    if (values.summary) writeFileSync(values.summary, `${JSON.stringify(summaryOf(stats))}\n`);
    // A timer is what keeps node running; the signal that ends the hold clears it.
    if (values.hold && !signalled) hold = setInterval(() => {}, 60_000);
  });
}

main();
