// Where the capacity bench reads what the stack holds: the count of a step's spans (Jaeger's
// span indices) or log lines (the logs indices) in Elasticsearch, polled until all are there or
// the count stops moving; and the pipeline's own loss counters before and after a step: the
// Jaeger collectors' refused, failed and dropped spans, Elasticsearch's rejected writes, and
// rsyslog's error file and disk queue.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where each signal lands, and the keyword field that holds the service that sent it. */
const stores = {
  spans: { index: 'obskit-jaeger-span-*', field: 'process.serviceName' },
  logs: { index: 'obskit-logs-*', field: 'service.name' },
};

/** How many documents of `signal` the service `service` has in Elasticsearch now. */
export async function storedCount(client, signal, service) {
  const { index, field } = stores[signal];
  await client.indices.refresh({ index, ignore_unavailable: true });
  const answer = await client.count({
    index,
    query: { term: { [field]: service } },
    ignore_unavailable: true,
  });
  return answer.count;
}

/**
 * Polls the count each second until it reaches `expected`, or has not moved for `stallMs`, or
 * `deadlineMs` has passed; returns the count and when it was last seen to grow.
 */
export async function drain(client, signal, service, expected, deadlineMs, stallMs = 10_000) {
  const started = Date.now();
  let stored = -1;
  let grewAt = started;
  for (;;) {
    const now = await storedCount(client, signal, service).catch(() => stored);
    if (now !== stored) grewAt = Date.now();
    stored = now;
    const done = stored >= expected || Date.now() - grewAt > stallMs;
    if (done || Date.now() - started > deadlineMs) return { stored, drainMs: grewAt - started };
    await sleep(1000);
  }
}

const lossName = /^otelcol_\w*(refused|failed|dropped)\w*_(spans|log_records)\w*$/;

/** Each loss counter of Jaeger's metrics at `ports`, summed over labels and members. */
async function jaegerCounters(ports) {
  const sums = {};
  for (const port of ports) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`)
      .then((r) => r.text())
      .catch(() => '');
    for (const line of text.split('\n')) {
      const match = /^(\w+)(?:\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
      if (match && lossName.test(match[1]))
        sums[match[1]] = (sums[match[1]] ?? 0) + Number(match[2]);
    }
  }
  return sums;
}

/** Writes every Elasticsearch node has rejected since it started (its write thread pool full). */
async function writesRejected(client) {
  const answer = await client.nodes.stats({ metric: 'thread_pool' }).catch(() => undefined);
  return Object.values(answer?.nodes ?? {}).reduce(
    (sum, node) => sum + (node.thread_pool?.write?.rejected ?? 0),
    0,
  );
}

/** Bytes in rsyslog's work folder: its error file (refused documents) and its disk queue. */
function rsyslogBytes(workDir) {
  const sizes = { errorFile: 0, diskQueue: 0 };
  let names = [];
  try {
    names = readdirSync(workDir);
  } catch {}
  for (const name of names) {
    const size = statSync(join(workDir, name), { throwIfNoEntry: false })?.size ?? 0;
    if (name === 'elasticsearch-errors.json') sizes.errorFile += size;
    else if (name.startsWith('obskit-es.')) sizes.diskQueue += size;
  }
  return sizes;
}

/** The pipeline's loss counters now: `lossSince(before, after)` tells what a step added. */
export async function lossCounters(client, jaegerMetricsPorts, rsyslogWorkDir) {
  return {
    jaeger: await jaegerCounters(jaegerMetricsPorts),
    esRejected: await writesRejected(client),
    rsyslog: rsyslogBytes(rsyslogWorkDir),
  };
}

/** What grew between two readings, named; an empty list when nothing did. */
export function lossSince(before, after) {
  const grown = Object.entries(after.jaeger)
    .map(([name, value]) => [`jaeger ${name}`, value - (before.jaeger[name] ?? 0)])
    .filter(([, delta]) => delta > 0)
    .map(([name, delta]) => `${name} +${delta}`);
  const rejected = after.esRejected - before.esRejected;
  if (rejected > 0) grown.push(`elasticsearch writes rejected +${rejected}`);
  const errors = after.rsyslog.errorFile - before.rsyslog.errorFile;
  if (errors > 0) grown.push(`rsyslog error file +${errors} B`);
  if (after.rsyslog.diskQueue > 0) grown.push(`rsyslog disk queue ${after.rsyslog.diskQueue} B`);
  return grown;
}
