// `obskit logs search`: the log lines of obskit-logs-* in a terminal, newest last, filtered as
// Kibana's Discover would (service, level, time, trace, a Lucene query); --follow keeps printing.

import type { Client } from '@elastic/elasticsearch';
import { firstLineOf, obskitError } from '../common/errors';
import { logsIndexPattern } from '../common/index-names';
import { numberIn } from '../common/numbers';
import { elasticsearchClient } from '../stack/elasticsearch-client';
import { localStackConfig } from '../stack/local-stack';
import { backendPortOf } from '../stack/ports';
import { parseDuration } from './durations';
import { formatLogLine, type LogDocument, wantsColour } from './log-lines';

export interface SearchOptions {
  service?: string;
  level?: string;
  since?: string;
  trace?: string;
  query?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

const levels = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

interface Search {
  filters: object[];
  limit: number;
  sinceMs: number;
}

function searchOf(options: SearchOptions): Search {
  const sinceMs = parseDuration(options.since ?? '15m');
  if (sinceMs === undefined)
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--since needs a duration such as 30s, 15m, 2h or 1d, not '${options.since}'`,
    );
  const limit = numberIn(options.limit ?? '100', { min: 1, max: 10_000, integer: true });
  if (limit === undefined)
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--limit needs a whole number from 1 to 10000, not '${options.limit}'`,
    );
  if (options.level !== undefined && !levels.includes(options.level))
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--level must be one of ${levels.join(', ')}, not '${options.level}'`,
    );
  const trace = options.trace?.toLowerCase();
  if (trace !== undefined && !/^[0-9a-f]{32}$/.test(trace))
    throw obskitError('OBSKIT_E_BAD_TRACE_ID', trace);
  const terms = { 'service.name': options.service, 'log.level': options.level, 'trace.id': trace };
  const filters: object[] = Object.entries(terms)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => ({ term: { [field]: value } }));
  if (options.query) filters.push({ query_string: { query: options.query } });
  // A trace's lines are wanted whenever they were written.
  return { filters, limit, sinceMs: trace ? Number.POSITIVE_INFINITY : sinceMs };
}

const sort = [
  { '@timestamp': 'desc' },
  { 'event.sequence': { order: 'desc', unmapped_type: 'long' } },
];

/** The newest `limit` lines from `fromMs` on, oldest first, with their ids. */
async function newestLines(client: Client, search: Search, fromMs: number) {
  const range = Number.isFinite(fromMs)
    ? [{ range: { '@timestamp': { gte: fromMs, format: 'epoch_millis' } } }]
    : [];
  const result = await client.search<LogDocument>({
    index: logsIndexPattern,
    query: { bool: { filter: [...search.filters, ...range] } },
    sort: sort as never,
    size: search.limit,
    ignore_unavailable: true,
  });
  return result.hits.hits
    .reverse()
    .map((hit) => ({ id: `${hit._index}/${hit._id}`, doc: hit._source ?? {} }));
}

export async function runLogsSearch(options: SearchOptions): Promise<number> {
  const search = searchOf(options);
  const client = elasticsearchClient(backendPortOf(localStackConfig(), 'elasticsearch'));
  const colour = wantsColour(process.stdout);
  const print = (doc: LogDocument) =>
    process.stdout.write(`${options.json ? JSON.stringify(doc) : formatLogLine(doc, colour)}\n`);
  try {
    const first = await newestLines(client, search, Date.now() - search.sinceMs);
    for (const line of first) print(line.doc);
    if (options.follow) {
      process.stderr.write(`following new lines of ${logsIndexPattern}; Ctrl-C stops\n`);
      await follow(client, search, first, print);
    }
    return 0;
  } catch (error) {
    throw obskitError(
      'OBSKIT_E_ES_UNREACHABLE',
      client.connectionPool.connections[0]?.url.href ?? '',
      firstLineOf(error),
    );
  } finally {
    await client.close();
  }
}

/** Every second, the lines newer than the last one shown; until Ctrl-C. */
async function follow(
  client: Client,
  search: Search,
  shown: { id: string; doc: LogDocument }[],
  print: (doc: LogDocument) => void,
): Promise<void> {
  // Lines arrive out of order across services: look a few seconds back, skip what was shown.
  const lookBackMs = 10_000;
  const seen = new Map(shown.map((line) => [line.id, Date.now()]));
  let stopped = false;
  process.once('SIGINT', () => {
    stopped = true;
  });
  while (!stopped) {
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
