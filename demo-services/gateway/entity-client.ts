// The gateway's client of the entity service: one channel to every replica, balanced by
// grpc-js's round_robin policy, each call with a deadline.

import * as grpc from '@grpc/grpc-js';
import { type Entity, loadEntityService } from '../common/proto';
import type { EntityChanges } from './validation';

export interface EntityClient {
  create(changes: EntityChanges): Promise<Entity>;
  get(id: string): Promise<Entity>;
  update(id: string, changes: EntityChanges): Promise<Entity>;
  remove(id: string): Promise<void>;
  list(limit: number): Promise<Entity[]>;
  /** The channel's state: IDLE, CONNECTING, READY, TRANSIENT_FAILURE or SHUTDOWN. */
  state(): string;
  close(): void;
}

type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
type Method = (request: object, options: grpc.CallOptions, callback: Callback<unknown>) => void;

/**
 * `target` is a gRPC name: ipv4:host:port,host:port for a list, dns:name:port for DNS,
 * etcd:///entity-service for the replicas registered in etcd.
 */
export function entityClient(target: string, deadlineMs: number): EntityClient {
  const EntityService = loadEntityService();
  const client = new EntityService(target, grpc.credentials.createInsecure(), {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
  });
  // Resolve now, not at the first call: the endpoints are known (and counted) from the start.
  client.getChannel().getConnectivityState(true);
  const call = <T>(method: string, request: object) =>
    new Promise<T>((resolve, reject) => {
      const invoke = (client[method] as Method).bind(client);
      invoke(request, { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response as T),
      );
    });
  return {
    create: (changes) => call('CreateEntity', changes),
    get: (id) => call('GetEntity', { id }),
    update: (id, changes) => call('UpdateEntity', { id, ...changes }),
    remove: (id) => call('DeleteEntity', { id }),
    list: async (limit) => (await call<{ entities: Entity[] }>('ListEntities', { limit })).entities,
    state: () => grpc.connectivityState[client.getChannel().getConnectivityState(false)],
    close: () => client.close(),
  };
}
