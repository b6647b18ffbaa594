// The log lines of obskit-logs-* as Kibana's Discover finds them: exact terms (service, level,
// trace), a Lucene query, a start time, newest first; and a follow that polls for newer lines.

import type { Client } from '@elastic/elasticsearch';
import { logsIndexPattern } from '../../common/index-names';
import type { LogDocument } from './log-lines';

export interface LogSearch {
  /** Exact values of ECS fields (service.name, log.level, trace.id); undefined ones are left out. */
  terms: Record<string, string | undefined>;
  /** A Lucene query string. */
  query?: string;
  limit: number;
}

/** A line found: `<index>/<id>`, to tell a line already shown, and its document. */
export interface FoundLine {
  id: string;
  doc: LogDocument;
}

const sort = [
  { '@timestamp': 'desc' },
  { 'event.sequence': { order: 'desc', unmapped_type: 'long' } },
];

function filtersOf(search: LogSearch): object[] {
  const filters: object[] = Object.entries(search.terms)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => ({ term: { [field]: value } }));
  if (search.query) filters.push({ query_string: { query: search.query } });
  return filters;
}

/** The newest `limit` lines from `fromMs` on (any time when not finite), oldest first. */
export async function newestLines(
  client: Client,
  search: LogSearch,
  fromMs: number,
): Promise<FoundLine[]> {
  const range = Number.isFinite(fromMs)
    ? [{ range: { '@timestamp': { gte: fromMs, format: 'epoch_millis' } } }]
    : [];
  const result = await client.search<LogDocument>({
    index: logsIndexPattern,
    query: { bool: { filter: [...filtersOf(search), ...range] } },
    sort: sort as never,
    size: search.limit,
    ignore_unavailable: true,
  });
  return result.hits.hits
    .reverse()
    .map((hit) => ({ id: `${hit._index}/${hit._id}`, doc: hit._source ?? {} }));
}

/** Every second, the lines newer than those shown, each given to `print`; until `stop` aborts. */
export async function followLines(
  client: Client,
  search: LogSearch,
  shown: FoundLine[],
  print: (doc: LogDocument) => void,
  stop: AbortSignal,
): Promise<void> {
  // Lines arrive out of order across services: look a few seconds back, skip what was shown.
  const lookBackMs = 10_000;
  const seen = new Map(shown.map((line) => [line.id, Date.now()]));
  while (!stop.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = Date.now();
    for (const line of await newestLines(client, { ...search, limit: 1000 }, now - lookBackMs)) {
      if (seen.has(line.id)) continue;
      seen.set(line.id, now);
      print(line.doc);
    }
    for (const [id, at] of seen) if (at < now - 2 * lookBackMs) seen.delete(id);
  }
}
