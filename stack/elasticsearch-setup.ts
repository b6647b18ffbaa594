// What Elasticsearch needs before logs arrive: the ECS index template of collectors/elasticsearch,
// applied with the official client at every `stack up` (a PUT, so reapplying changes nothing),
// and the retention of the daily indices.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { firstLineOf, obskitError } from '../cli/errors';
import { type Backend, mainPort, type StackConfig } from './config';
import { pruneLogIndices, retentionDaysFrom } from './log-retention';

export const logsTemplateName = 'obskit-logs';

export function logsTemplatePath(config: StackConfig): string {
  return join(config.packageRoot, 'collectors', 'elasticsearch', 'logs-template.json');
}

/** A client of the stack's Elasticsearch. */
export function elasticsearchClient(elasticsearch: Backend): Client {
  const { Client: ElasticsearchClient } = require('@elastic/elasticsearch') as {
    Client: new (o: object) => Client;
  };
  // One attempt: a command against a stopped Elasticsearch should say so at once.
  return new ElasticsearchClient({
    node: `http://127.0.0.1:${mainPort(elasticsearch).port}`,
    maxRetries: 0,
  });
}

/** OBSKIT_LOG_RETENTION_DAYS, checked: a bad value stops the command with one clear line. */
export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
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

/** The template, then the retention; returns the indices retention deleted. */
export async function applyElasticsearchSetup(
  config: StackConfig,
  elasticsearch: Backend,
): Promise<string[]> {
  const keepDays = retentionDays();
  const client = elasticsearchClient(elasticsearch);
  try {
    const template = JSON.parse(readFileSync(logsTemplatePath(config), 'utf8'));
    await client.indices.putIndexTemplate({ name: logsTemplateName, ...template });
    return await pruneLogIndices(client, keepDays);
  } catch (error) {
    const reason = firstLineOf(error);
    throw obskitError('OBSKIT_E_ES_SETUP', logsTemplatePath(config), reason ?? '');
  } finally {
    await client.close();
  }
}
