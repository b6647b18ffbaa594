// A client of the stack's Elasticsearch (every node of it in the cluster topology), for its
// setup, the trace retention and the commands; and the replicas its indices get.

import type { Client } from '@elastic/elasticsearch';

/**
 * A client of the Elasticsearch on loopback `ports` (one node's, or each node's of a cluster);
 * loaded on use, as only some commands need it.
 */
export function elasticsearchClient(ports: number | readonly number[]): Client {
  const { Client: ElasticsearchClient } = require('@elastic/elasticsearch') as {
    Client: new (o: object) => Client;
  };
  const nodes = [ports].flat().map((port) => `http://127.0.0.1:${port}`);
  // One attempt per node: a command against a stopped Elasticsearch says so at once, and one
  // against a cluster goes on to the next node when a node refuses (or answers 502-504).
  return new ElasticsearchClient({ nodes, maxRetries: nodes.length - 1 });
}

/** One replica of each shard where there is a second node to hold it (a cluster), none on one. */
export const replicasFor = (nodes: number): number => (nodes > 1 ? 1 : 0);
