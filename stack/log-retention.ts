// Retention of the daily log indices (obskit-logs-YYYY.MM.DD), and of Jaeger's when it stores
// traces in Elasticsearch (their names in common/index-names.ts): whole indices older than the
// retention are deleted. It needs no index lifecycle plugin, so it works on the local minimal
// Elasticsearch and on a full one alike; `stack up` and `obskit logs prune` run it.

import type { Client } from '@elastic/elasticsearch';
import { obskitError } from '../common/errors';
import { dailyLogIndices } from '../common/index-names';
import { type NumberRange, numberIn } from '../common/numbers';

/** Days of logs kept before today's, unless OBSKIT_LOG_RETENTION_DAYS or --keep-days says. */
export const defaultRetentionDays = 7;

/** The daily indices among `names` whose day is more than `keepDays` days before `today` (UTC). */
export function expiredLogIndices(
  names: string[],
  keepDays: number,
  today = new Date(),
  family = dailyLogIndices,
): string[] {
  const cutoff = Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate() - keepDays,
  );
  return names.filter((name) => {
    const match = family.name.exec(name);
    return (
      match !== null && Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) < cutoff
    );
  });
}

/** Deletes the expired daily indices of `family`; returns their names. */
export async function pruneLogIndices(
  client: Client,
  keepDays: number,
  family = dailyLogIndices,
): Promise<string[]> {
  const indices = await client.cat.indices({ index: family.pattern, format: 'json', h: 'index' });
  const names = indices.map((row) => String(row.index));
  const expired = expiredLogIndices(names, keepDays, new Date(), family);
  if (expired.length > 0) await client.indices.delete({ index: expired.join(',') });
  return expired;
}

/** A retention: a whole number of days, 0 keeping only today's. */
export const retentionDaysRange: NumberRange = {
  min: 0,
  max: Number.POSITIVE_INFINITY,
  integer: true,
};

/** OBSKIT_LOG_RETENTION_DAYS as a whole number of days, or undefined when it is not one. */
export function retentionDaysFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return defaultRetentionDays;
  return numberIn(value, retentionDaysRange);
}

/** OBSKIT_LOG_RETENTION_DAYS, checked: a bad value stops the command with one clear line. */
export function retentionDays(env: NodeJS.ProcessEnv): number {
  const days = retentionDaysFrom(env.OBSKIT_LOG_RETENTION_DAYS);
  if (days === undefined)
    throw obskitError(
      'OBSKIT_E_BAD_ENV',
      'OBSKIT_LOG_RETENTION_DAYS',
      env.OBSKIT_LOG_RETENTION_DAYS ?? '',
      'a whole number of days',
    );
  return days;
}
