// What Elasticsearch needs before logs arrive: the ECS index template of collectors/elasticsearch,
// applied with the official client at every `stack up` (a PUT, so reapplying changes nothing).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { obskitError } from '../cli/errors';
import { type Backend, mainPort, type StackConfig } from './config';

export const logsTemplateName = 'obskit-logs';

export function logsTemplatePath(config: StackConfig): string {
  return join(config.packageRoot, 'collectors', 'elasticsearch', 'logs-template.json');
}

export async function applyElasticsearchSetup(
  config: StackConfig,
  elasticsearch: Backend,
): Promise<void> {
  const { Client: ElasticsearchClient } = require('@elastic/elasticsearch') as {
    Client: new (o: object) => Client;
  };
  const client = new ElasticsearchClient({
    node: `http://127.0.0.1:${mainPort(elasticsearch).port}`,
  });
  try {
    const template = JSON.parse(readFileSync(logsTemplatePath(config), 'utf8'));
    await client.indices.putIndexTemplate({ name: logsTemplateName, ...template });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw obskitError('OBSKIT_E_ES_SETUP', logsTemplatePath(config), reason ?? '');
  } finally {
    await client.close();
  }
}
