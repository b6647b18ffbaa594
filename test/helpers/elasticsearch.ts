// Reading log lines back from the stack's Elasticsearch, as `obskit trace` will.

import { readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { logsIndexPattern, logsTemplateName, logsTemplatePath } from '../../common/index-names';
import { poll, stack, urlOf } from './stack';

export type LogDocument = Record<string, unknown>;

export const logsIndex = logsIndexPattern;

export const elasticsearch = () => new Client({ node: urlOf('elasticsearch') });

/** Every document whose keyword `field` equals `value`, once there are at least `count`. */
export const logsWhere = (
  client: Client,
  field: string,
  value: string,
  count = 1,
  deadlineMs = 30_000,
) => logsMatching(client, { term: { [field]: value } }, `${field}=${value}`, count, deadlineMs);

/** Every document `query` matches (at most 10 000), once there are at least `count`. */
export async function logsMatching(
  client: Client,
  query: object,
  what: string,
  count = 1,
  deadlineMs = 30_000,
): Promise<{ index: string; source: LogDocument }[]> {
  return poll(
    `${count} log lines with ${what} in Elasticsearch`,
    async () => {
      await client.indices.refresh({ index: logsIndex, ignore_unavailable: true });
      const result = await client.search<LogDocument>({
        index: logsIndex,
        query,
        size: 10_000,
        ignore_unavailable: true,
      });
      const hits = result.hits.hits.map((hit) => ({
        index: hit._index,
        source: hit._source ?? {},
      }));
      return hits.length >= count ? hits : undefined;
    },
    deadlineMs,
  );
}

/** How many documents have keyword `field` equal to `value`, now. */
export async function countWhere(client: Client, field: string, value: string): Promise<number> {
  await client.indices.refresh({ index: logsIndex, ignore_unavailable: true });
  const result = await client.count({
    index: logsIndex,
    query: { term: { [field]: value } },
    ignore_unavailable: true,
  });
  return result.count;
}

/** The mapped type of each dotted field in `index`. */
export async function mappedTypes(
  client: Client,
  index: string,
  fields: string[],
): Promise<Record<string, string | undefined>> {
  const mapping = await client.indices.getFieldMapping({ index, fields });
  const mappings = mapping[index]?.mappings ?? {};
  return Object.fromEntries(
    fields.map((field) => {
      const leaf = field.split('.').pop() as string;
      const entry = mappings[field]?.mapping?.[leaf] as { type?: string } | undefined;
      return [field, entry?.type];
    }),
  );
}

interface MappingNode {
  type?: string;
  properties?: Record<string, MappingNode>;
  fields?: Record<string, MappingNode>;
}

/** The type the template file gives each dotted field, multi-fields (error.message.keyword) included. */
export function templateTypes(fields: string[]): Record<string, string | undefined> {
  const template = JSON.parse(readFileSync(logsTemplatePath(stack.packageRoot), 'utf8'));
  const typeOf = (field: string) => {
    let node: MappingNode | undefined = { properties: template.template.mappings.properties };
    for (const part of field.split('.')) node = node?.properties?.[part] ?? node?.fields?.[part];
    return node?.type;
  };
  return Object.fromEntries(fields.map((field) => [field, typeOf(field)]));
}

/**
 * A fresh index `name` (matching the logs pattern) made by the template file as `stack up`
 * applies it, holding copies of `docs`: a template change reaches only indices created after
 * it, and today's daily index may predate it. (The minimal distribution has no _reindex.)
 */
export async function indexFromTemplate(client: Client, name: string, docs: LogDocument[]) {
  const template = JSON.parse(readFileSync(logsTemplatePath(stack.packageRoot), 'utf8'));
  await client.indices.putIndexTemplate({ name: logsTemplateName, ...template });
  await client.indices.create({ index: name });
  const answer = await client.bulk({
    refresh: true,
    operations: docs.flatMap((doc) => [{ index: { _index: name } }, doc]),
  });
  if (answer.errors)
    throw new Error(`bulk into ${name} failed: ${JSON.stringify(answer.items[0])}`);
}
