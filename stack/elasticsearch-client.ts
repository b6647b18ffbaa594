// A client of the stack's Elasticsearch, for its setup, the trace retention and the commands.

import type { Client } from '@elastic/elasticsearch';

/** A client of the Elasticsearch on loopback `port`; loaded on use, as only some commands need it. */
export function elasticsearchClient(port: number): Client {
  const { Client: ElasticsearchClient } = require('@elastic/elasticsearch') as {
    Client: new (o: object) => Client;
  };
  // One attempt: a command against a stopped Elasticsearch should say so at once.
  return new ElasticsearchClient({ node: `http://127.0.0.1:${port}`, maxRetries: 0 });
}
