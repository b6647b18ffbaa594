// The ECS index template of collectors/elasticsearch, as `obskit stack up` applies it: a new
// logs index gets the mapping the file states, and unknown strings become keywords.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { logsTemplateName, logsTemplatePath } from '../../common/index-names';
import { elasticsearch, mappedTypes } from '../helpers/elasticsearch';
import { runCli, stack, uniqueId } from '../helpers/stack';

const fileTemplate = JSON.parse(readFileSync(logsTemplatePath(stack.packageRoot), 'utf8'));

test('stack up has applied the logs index template as the file states it', async () => {
  const client = elasticsearch();
  try {
    const { index_templates } = await client.indices.getIndexTemplate({ name: logsTemplateName });
    const applied = index_templates[0]?.index_template;
    assert.deepEqual(applied?.index_patterns, fileTemplate.index_patterns);
    assert.deepEqual(
      applied?.template?.mappings?.properties,
      fileTemplate.template.mappings.properties,
    );
  } finally {
    await client.close();
  }
});

test('a new logs index types every ECS field as the template says', async () => {
  const client = elasticsearch();
  const index = `obskit-logs-${uniqueId('template-test')}`;
  try {
    await client.index({
      index,
      refresh: 'wait_for',
      document: {
        '@timestamp': '2026-11-21T10:00:00.123Z',
        message: 'order placed',
        log: { level: 'info' },
        'service.name': 'checkout',
        'trace.id': '0af7651916cd43dd8448eb211c80319c',
        'span.id': 'b7ad6b7169203331',
        error: {
          type: 'TypeError',
          message: 'x is undefined',
          stack_trace: 'TypeError: x is undefined\n    at y',
        },
        event: { sequence: 42 },
        order_id: 'o-1',
      },
    });
    const fields = [
      '@timestamp',
      'message',
      'log.level',
      'service.name',
      'trace.id',
      'span.id',
      'error.type',
      'error.message',
      'error.stack_trace',
      'event.sequence',
      'order_id',
    ];
    const types = await mappedTypes(client, index, fields);
    assert.deepEqual(types, {
      '@timestamp': 'date',
      message: 'text',
      'log.level': 'keyword',
      'service.name': 'keyword',
      'trace.id': 'keyword',
      'span.id': 'keyword',
      'error.type': 'keyword',
      'error.message': 'text',
      'error.stack_trace': 'text',
      'event.sequence': 'long',
      order_id: 'keyword',
    });
  } finally {
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  }
});

test('obskit logs prune deletes daily indices past retention and keeps the rest', async () => {
  const client = elasticsearch();
  const old = 'obskit-logs-2020.01.01';
  const today = `obskit-logs-${new Date().toISOString().slice(0, 10).replaceAll('-', '.')}`;
  try {
    await client.index({ index: old, document: { message: 'old' }, refresh: 'wait_for' });
    await client.index({ index: today, document: { message: 'today' }, refresh: 'wait_for' });
    const result = runCli(['logs', 'prune', '--keep-days', '7']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^deleted \d+ log indices older than 7 days: .*obskit-logs-2020\.01\.01/,
    );
    assert.equal(await client.indices.exists({ index: old }), false);
    assert.equal(await client.indices.exists({ index: today }), true);
  } finally {
    await client.indices.delete({ index: old, ignore_unavailable: true });
    await client.close();
  }
});
