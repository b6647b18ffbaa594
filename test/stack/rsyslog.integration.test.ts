// rsyslog from `obskit stack`: RFC 5424 over TCP on 5140 reaches Elasticsearch as an ECS document.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { poll, portOf, uniqueId, urlOf } from '../helpers/stack';

/** Sends syslog frames over one TCP connection and closes it once they are written. */
function sendTcp(frames: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: portOf('rsyslog') }, () => {
      socket.end(frames.join(''), () => resolve());
    });
    socket.on('error', reject);
  });
}

/** RFC 6587 octet-counting framing: "<length> <message>". */
const octetCounted = (message: string) => `${Buffer.byteLength(message)} ${message}`;

async function findByMessage(client: Client, message: string) {
  return poll(`"${message}" in Elasticsearch`, async () => {
    const result = await client.search<Record<string, unknown>>({
      index: 'obskit-logs-*',
      query: { match_phrase: { message } },
      ignore_unavailable: true,
    });
    return result.hits.hits[0]?._source;
  });
}

test('an RFC 5424 line sent over TCP to rsyslog is found in Elasticsearch', async () => {
  const client = new Client({ node: urlOf('elasticsearch') });
  const jsonCanary = uniqueId('json-canary');
  const textCanary = uniqueId('text-canary');
  const timestamp = new Date().toISOString();
  const jsonLine = `<14>1 ${timestamp} test-host checkout 4242 - - ${JSON.stringify({
    message: jsonCanary,
    'log.level': 'warn',
    'trace.id': '0af7651916cd43dd8448eb211c80319c',
  })}`;
  const textLine = `<11>1 ${timestamp} test-host billing 77 - - plain ${textCanary}`;
  try {
    await sendTcp([octetCounted(jsonLine), `${textLine}\n`]);

    const json = await findByMessage(client, jsonCanary);
    assert.equal(json['@timestamp'], timestamp);
    assert.equal(json['log.level'], 'warn');
    assert.equal(json['trace.id'], '0af7651916cd43dd8448eb211c80319c');
    assert.deepEqual(json.service, { name: 'checkout' });
    assert.deepEqual(json.host, { name: 'test-host' });

    const text = await findByMessage(client, textCanary);
    assert.equal(text.message, `plain ${textCanary}`);
    assert.equal(text.msg, undefined);
    assert.equal(text['@timestamp'], timestamp);
    assert.equal((text.log as { level: string }).level, 'err');
    assert.deepEqual(text.service, { name: 'billing' });
  } finally {
    await client.close();
  }
});
