// `obskit logs search …`: the log lines of obskit-logs-* in a terminal, newest last, filtered as
// Kibana's Discover would (service, level, time, trace, a Lucene query); --follow keeps printing.
// `obskit logs prune [--keep-days n]`: deletes the daily log indices past retention from the
// stack's Elasticsearch, for a cron job on a stack that stays up for days.

import type { Client } from '@elastic/elasticsearch';
import { formatLogLine, type LogDocument, wantsColour } from '../clients/elasticsearch/log-lines';
import { followLines, type LogSearch, newestLines } from '../clients/elasticsearch/logs-search';
import { parseDuration } from '../common/durations';
import { firstLineOf, obskitError } from '../common/errors';
import { logsIndexPattern } from '../common/index-names';
import { numberIn } from '../common/numbers';
import { elasticsearchClient } from '../stack/elasticsearch-client';
import { pruneLogIndices, retentionDaysRange } from '../stack/log-retention';
import { memberPortsOf } from '../stack/ports';
import type { StackConfig } from '../stack/types';
import { type Parsed, parseOptions } from './options';
import { stackConfigOf, topologyOption } from './topology';

export const logsOptions = {
  service: { type: 'string' },
  level: { type: 'string' },
  since: { type: 'string' },
  trace: { type: 'string' },
  query: { type: 'string' },
  limit: { type: 'string' },
  follow: { type: 'boolean' },
  json: { type: 'boolean' },
  'keep-days': { type: 'string' },
  ...topologyOption,
} as const;

type LogsValues = Parsed<typeof logsOptions>['values'];

export async function runLogsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, logsOptions);
  const [action, ...extra] = positionals;
  if (action !== 'prune' && action !== 'search')
    throw obskitError(
      'OBSKIT_E_USAGE',
      action ? `unknown logs action '${action}'` : 'logs needs an action: search or prune',
    );
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  if (action === 'search') return runLogsSearch(values);
  const flagDays = keepDaysOf(values['keep-days']);
  const config = stackConfigOf(values.topology);
  const keepDays = flagDays ?? config.retentionDays;
  return withElasticsearch(config, async (client) => {
    const deleted = await pruneLogIndices(client, keepDays);
    process.stdout.write(
      deleted.length > 0
        ? `deleted ${deleted.length} log indices older than ${keepDays} days: ${deleted.join(', ')}\n`
        : `no log indices older than ${keepDays} days\n`,
    );
    return 0;
  });
}

/** The stack's Elasticsearch for one job; a failure names its URL and why. */
async function withElasticsearch(
  config: StackConfig,
  job: (client: Client) => Promise<number>,
): Promise<number> {
  const client = elasticsearchClient(memberPortsOf(config, 'elasticsearch'));
  try {
    return await job(client);
  } catch (error) {
    throw obskitError(
      'OBSKIT_E_ES_UNREACHABLE',
      client.connectionPool.connections.map((c) => c.url.href).join(', '),
      firstLineOf(error),
    );
  } finally {
    await client.close();
  }
}

/** --keep-days, checked; undefined when not given (the stack's retention applies). */
function keepDaysOf(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  const days = numberIn(flag, retentionDaysRange);
  if (days === undefined)
    throw obskitError('OBSKIT_E_USAGE', `--keep-days needs a whole number of days, not '${flag}'`);
  return days;
}

const levels = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

/** The search the options ask for, checked, and how far back it looks. */
function searchOf(options: LogsValues): { search: LogSearch; sinceMs: number } {
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
  const search = { terms, query: options.query, limit };
  // A trace's lines are wanted whenever they were written.
  return { search, sinceMs: trace ? Number.POSITIVE_INFINITY : sinceMs };
}

async function runLogsSearch(options: LogsValues): Promise<number> {
  const { search, sinceMs } = searchOf(options);
  const colour = wantsColour(process.stdout);
  const print = (doc: LogDocument) =>
    process.stdout.write(`${options.json ? JSON.stringify(doc) : formatLogLine(doc, colour)}\n`);
  return withElasticsearch(stackConfigOf(options.topology), async (client) => {
    const first = await newestLines(client, search, Date.now() - sinceMs);
    for (const line of first) print(line.doc);
    if (options.follow) {
      process.stderr.write(`following new lines of ${logsIndexPattern}; Ctrl-C stops\n`);
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      await followLines(client, search, first, print, stop.signal);
    }
    return 0;
  });
}
