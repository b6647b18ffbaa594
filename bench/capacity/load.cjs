// The capacity bench's load: under the obskit preload, SIGNAL (spans or logs) at RATE a second
// for DURATION_S seconds, each numbered (bench.seq), then, once obskit's queues are empty (or
// after 30 s), one JSON line: what it made, how long that took, its CPU and obskit's counters.
const { trace } = require('@opentelemetry/api');
const { telemetryStats } = require('obskit');

const signal = process.env.SIGNAL;
const rate = Number(process.env.RATE);
const total = Math.round(rate * Number(process.env.DURATION_S));
const tracer = trace.getTracer('obskit-capacity');
const logger = signal === 'logs' ? require('obskit/logger').logger : undefined;

// A root span each (its own trace), or one winston line each, as a service makes them.
const make =
  signal === 'spans'
    ? (seq) => tracer.startSpan('capacity', { attributes: { 'bench.seq': seq } }).end()
    : (seq) => logger.info(`capacity line ${seq}`, { 'bench.seq': seq });

let made = 0;
const started = performance.now();
// Every few ms, whatever the clock says is due: a load that falls behind shows it in its time.
const tick = setInterval(() => {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
  while (made < due) make(++made);
  if (made === total) {
    clearInterval(tick);
    const makingMs = performance.now() - started;
    waitUntilShipped(Date.now() + 30_000, makingMs);
  }
}, 5);

/** Whether obskit holds nothing more of this signal: every span answered, every line written. */
function shipped(stats) {
  if (signal === 'spans') return stats.spansExported + stats.spansDropped >= made;
  return Object.values(stats.logs).every((transport) => transport.queued === 0);
}

function waitUntilShipped(deadline, makingMs) {
  const stats = telemetryStats();
  if (!shipped(stats) && Date.now() < deadline) {
    setTimeout(() => waitUntilShipped(deadline, makingMs), 50);
    return;
  }
  const { user, system } = process.cpuUsage();
  const logDropped = Object.values(stats.logs).reduce((sum, t) => sum + t.dropped, 0);
  const report = {
    made,
    makingMs,
    cpuSeconds: (user + system) / 1e6,
    spansExported: stats.spansExported,
    spansDropped: stats.spansDropped,
    logDropped,
  };
  console.log(JSON.stringify(report));
  process.exit(0);
}
