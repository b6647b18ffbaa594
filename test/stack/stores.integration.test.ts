// The data stores of `obskit stack`: Elasticsearch, Redis and FerretDB through their usual clients.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { portOf, uniqueId, urlOf } from '../helpers/stack';

test('Elasticsearch indexes a document and finds it with @elastic/elasticsearch 8', async () => {
  const client = new Client({ node: urlOf('elasticsearch') });
  const index = uniqueId('obskit-test');
  const canary = uniqueId('canary');
  try {
    // GET / (obskit's root plugin, where the distribution has no rest-root module) as the
    // client reads it, and HEAD / as Jaeger's client pings it.
    const info = await client.info();
    assert.equal(info.version.number, '8.19.9');
    assert.equal(info.cluster_name, 'obskit');
    assert.equal(info.tagline, 'You Know, for Search');
    assert.match(info.cluster_uuid, /^[\w-]{22}$/);
    assert.equal((await fetch(urlOf('elasticsearch'), { method: 'HEAD' })).status, 200);
    await client.index({
      index,
      document: { message: canary, 'service.name': 'stack-test' },
      refresh: 'wait_for',
    });
    const found = await client.search<{ message: string; 'service.name': string }>({
      index,
      query: { match: { message: canary } },
    });
    assert.equal(found.hits.hits.length, 1);
    assert.deepEqual(found.hits.hits[0]?._source, {
      message: canary,
      'service.name': 'stack-test',
    });
  } finally {
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  }
});

test('Redis answers PING and keeps a value', async () => {
  const redis = new Redis({
    port: portOf('redis'),
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    assert.equal(await redis.ping(), 'PONG');
    const key = uniqueId('obskit-test');
    await redis.set(key, 'value', 'EX', 60);
    assert.equal(await redis.get(key), 'value');
  } finally {
    redis.disconnect();
  }
});

test('FerretDB stores a document and finds it with the mongodb driver', async () => {
  const client = new MongoClient(`mongodb://127.0.0.1:${portOf('ferretdb')}/`, {
    serverSelectionTimeoutMS: 5000,
  });
  try {
    await client.connect();
    const collection = client
      .db('obskit_test')
      .collection(uniqueId('entities').replaceAll('-', '_'));
    const document = { name: 'widget', tags: ['a', 'b'], size: 3 };
    const { insertedId } = await collection.insertOne({ ...document });
    const found = await collection.findOne({ _id: insertedId });
    assert.deepEqual(found, { _id: insertedId, ...document });
    await collection.drop();
  } finally {
    await client.close();
  }
});
