// Retention of the daily log indices (obskit-logs-YYYY.MM.DD): whole indices older than the
// retention are deleted. It needs no index lifecycle plugin, so it works on the local minimal
// Elasticsearch and on a full one alike; `stack up` and `obskit logs prune` run it.

import type { Client } from '@elastic/elasticsearch';

/** Days of logs kept before today's, unless OBSKIT_LOG_RETENTION_DAYS or --keep-days says. */
export const defaultRetentionDays = 7;

const dailyIndex = /^obskit-logs-(\d{4})\.(\d{2})\.(\d{2})$/;

/** Every daily log index, for searches and for retention. */
export const logsIndexPattern = 'obskit-logs-*';

/** The daily indices among `names` whose day is more than `keepDays` days before `today` (UTC). */
export function expiredLogIndices(names: string[], keepDays: number, today = new Date()): string[] {
  const cutoff = Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate() - keepDays,
  );
  return names.filter((name) => {
    const match = dailyIndex.exec(name);
    return (
      match !== null && Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) < cutoff
    );
  });
}

/** Deletes the expired daily indices; returns their names. */
export async function pruneLogIndices(client: Client, keepDays: number): Promise<string[]> {
  const indices = await client.cat.indices({ index: logsIndexPattern, format: 'json', h: 'index' });
  const expired = expiredLogIndices(
    indices.map((row) => String(row.index)),
    keepDays,
  );
  if (expired.length > 0) await client.indices.delete({ index: expired.join(',') });
  return expired;
}

/** OBSKIT_LOG_RETENTION_DAYS as a whole number of days, or undefined when it is not one. */
export function retentionDaysFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return defaultRetentionDays;
  const days = Number(value);
  return Number.isInteger(days) && days >= 0 ? days : undefined;
}
