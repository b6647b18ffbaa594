// `obskit logs search …` (logs-search.ts) and `obskit logs prune [--keep-days n]`: deletes the
// daily log indices past retention from the stack's Elasticsearch, for a cron job on a stack
// that stays up for days.

import { firstLineOf, obskitError } from '../common/errors';
import { numberIn } from '../common/numbers';
import { elasticsearchClient } from '../stack/elasticsearch-client';
import { localStackConfig } from '../stack/local-stack';
import { pruneLogIndices, retentionDaysRange } from '../stack/log-retention';
import { backendPortOf } from '../stack/ports';
import { runLogsSearch, type SearchOptions } from './logs-search';

export async function runLogsCommand(
  args: string[],
  values: SearchOptions & { 'keep-days'?: string },
): Promise<number> {
  const [action, ...extra] = args;
  if (action !== 'prune' && action !== 'search')
    throw obskitError(
      'OBSKIT_E_USAGE',
      action ? `unknown logs action '${action}'` : 'logs needs an action: search or prune',
    );
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  if (action === 'search') return runLogsSearch(values);
  const flagDays = keepDaysOf(values['keep-days']);
  const config = localStackConfig();
  const keepDays = flagDays ?? config.retentionDays;
  const client = elasticsearchClient(backendPortOf(config, 'elasticsearch'));
  try {
    const deleted = await pruneLogIndices(client, keepDays);
    process.stdout.write(
      deleted.length > 0
        ? `deleted ${deleted.length} log indices older than ${keepDays} days: ${deleted.join(', ')}\n`
        : `no log indices older than ${keepDays} days\n`,
    );
    return 0;
  } catch (error) {
    const reason = firstLineOf(error);
    throw obskitError(
      'OBSKIT_E_ES_UNREACHABLE',
      client.connectionPool.connections[0]?.url.href ?? '',
      reason,
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
