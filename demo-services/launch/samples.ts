// Three traces of the demo worth opening: a read served from the Redis cache, a read that
// missed it and went to MongoDB, and a write. Found in Jaeger once the load has run a little.

import { databaseOf, type JaegerTrace, searchTraces } from '../../clients/jaeger';
import { waitFor } from '../../stack/health';

export interface SampleTrace {
  label: string;
  traceId: string;
}

const databasesOf = (trace: JaegerTrace) => new Set(trace.spans.map(databaseOf));
const failed = (trace: JaegerTrace) =>
  trace.spans.some((s) => s.tags.some((t) => t.key === 'error' && t.value === true));

const samples = [
  {
    label: 'read, cache hit',
    operation: 'GET /entities/:id',
    fits: (t: JaegerTrace) => databasesOf(t).has('redis') && !databasesOf(t).has('mongodb'),
  },
  {
    label: 'read, cache miss',
    operation: 'GET /entities/:id',
    fits: (t: JaegerTrace) => databasesOf(t).has('redis') && databasesOf(t).has('mongodb'),
  },
  { label: 'write (create)', operation: 'POST /entities', fits: () => true },
];

/** Polls Jaeger until each kind of sample is found or the deadline passes; returns those found. */
export async function findSampleTraces(
  queryUrl: string,
  sinceMs: number,
  deadlineMs: number,
): Promise<SampleTrace[]> {
  const found = new Map<string, string>();
  await waitFor(
    async () => {
      for (const sample of samples.filter((s) => !found.has(s.label))) {
        const traces = await searchTraces(queryUrl, {
          service: 'gateway',
          operation: sample.operation,
          start: sinceMs * 1000,
          limit: 50,
        }).catch(() => []);
        const hit = traces.find((t) => !failed(t) && sample.fits(t));
        if (hit) found.set(sample.label, hit.traceID);
      }
      return found.size === samples.length;
    },
    deadlineMs,
    2000,
  );
  return samples.flatMap((s) => {
    const traceId = found.get(s.label);
    return traceId ? [{ label: s.label, traceId }] : [];
  });
}
