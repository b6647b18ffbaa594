// An open-loop load at a fixed rate: requests start on schedule whether or not earlier ones
// have answered (as real users arrive), and every request sent is waited for and counted.

import { type Answer, httpClient } from './http-client';
import type { PlannedRequest } from './mix';

export interface LoadOptions {
  baseUrl: string;
  /** Requests started per second. */
  rate: number;
  /** Stop starting requests after this long; 0 runs until stop() is called. */
  durationMs: number;
  /** A request unanswered after this long counts as failed. */
  timeoutMs: number;
  next: () => PlannedRequest;
}

export interface LoadStats {
  /** Requests answered or failed; what the gateway's own count should equal. */
  requests: number;
  byStatus: Record<string, number>;
  /** No HTTP answer: refused, reset or timed out. */
  failed: number;
  elapsedMs: number;
  latenciesMs: number[];
}

const maxSamples = 100_000;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Keeps at most maxSamples latencies, each answer equally likely to be among them. */
function sample(stats: LoadStats, latencyMs: number): void {
  const seen = stats.requests - stats.failed;
  if (stats.latenciesMs.length < maxSamples) stats.latenciesMs.push(latencyMs);
  else if (Math.random() < maxSamples / seen)
    stats.latenciesMs[Math.floor(Math.random() * maxSamples)] = latencyMs;
}

/** Sends one request and counts its answer (or its failure) in `stats`. */
async function send(
  http: ReturnType<typeof httpClient>,
  stats: LoadStats,
  planned: PlannedRequest,
): Promise<void> {
  const begin = performance.now();
  let answer: Answer;
  try {
    answer = await http.send(planned.method, planned.path, planned.body);
  } catch {
    stats.requests += 1;
    stats.failed += 1;
    planned.settle(0, '');
    return;
  }
  stats.requests += 1;
  stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
  sample(stats, performance.now() - begin);
  planned.settle(answer.status, answer.text);
}

export function startLoad(options: LoadOptions) {
  const stats: LoadStats = {
    requests: 0,
    byStatus: {},
    failed: 0,
    elapsedMs: 0,
    latenciesMs: [],
  };
  const started = performance.now();
  const intervalMs = 1000 / options.rate;
  let stopped = false;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const http = httpClient(options.baseUrl, options.timeoutMs);

  async function run(): Promise<LoadStats> {
    while (!stopped) {
      const due = started + sent * intervalMs;
      const now = performance.now();
      if (options.durationMs > 0 && due - started >= options.durationMs) break;
      if (due > now) await new Promise((r) => setTimeout(r, due - now));
      if (stopped) break;
      sent += 1;
      const request = send(http, stats, options.next());
      inFlight.add(request);
      request.then(() => inFlight.delete(request));
    }
    await Promise.all(inFlight);
    http.close();
    stats.elapsedMs = performance.now() - started;
    return stats;
  }

  return {
    stats,
    elapsedMs: () => performance.now() - started,
    inFlight: () => inFlight.size,
    done: run(),
    /** Starts no more requests; `done` resolves once those in flight have answered. */
    stop: () => {
      stopped = true;
    },
  };
}
