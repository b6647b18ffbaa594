// The entity service: gRPC in front of MongoDB with a Redis cache-aside, and the standard gRPC
// health service. Run several replicas on consecutive ports; the gateway balances across them.
// It has no tracing or metrics code: `node -r obskit/instrumentation` provides them.

import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { logger } from 'obskit/logger';
import { advertisedHost, discoveryFromEnv } from '../common/discovery/from-env';
import { instanceKey, instanceValue } from '../common/discovery/keys';
import { register } from '../common/discovery/registration';
import { storeUrls } from '../common/discovery/stores';
import { faultInjector } from '../common/faults';
import { closeOnShutdown, runService } from '../common/lifecycle';
import { entityServiceName, loadEntityService } from '../common/proto';
import { integer, text } from '../common/settings';
import { entityCache } from './cache';
import { entityHandlers } from './handlers';
import { type EntityDocument, entityStore } from './store';

runService('entity-service', async () => {
  const host = text('HOST', '127.0.0.1');
  const port = integer('PORT', 50051, 1, 65535);
  const address = `${host}:${port}`;
  const faults = faultInjector('entity-service', ['mongodb', 'redis']);
  const etcd = discoveryFromEnv();
  // What it registers: where others reach it, not the address it binds (0.0.0.0 in a container).
  const advertised = `${etcd ? advertisedHost(host) : host}:${port}`;
  // With discovery on, the stores' addresses come from etcd, not from the variables.
  const stores = etcd
    ? await storeUrls(etcd)
    : {
        mongodb: text('MONGODB_URL', 'mongodb://127.0.0.1:27017/'),
        redis: text('REDIS_URL', 'redis://127.0.0.1:6379'),
      };

  const collection = await connectMongo(stores.mongodb);
  const redis = await connectRedis(stores.redis);
  const cache = entityCache(redis, integer('CACHE_TTL_SECONDS', 60, 1, 86_400), () =>
    faults.isDown('redis'),
  );
  await serve(entityHandlers(entityStore(collection), cache, faults), address);
  logger.info(`entity-service listening on ${address}`);
  if (etcd) {
    // Registered once it serves; revoked first at shutdown, before the server stops.
    const key = instanceKey('entity-service', advertised);
    const registration = await register(
      etcd,
      { [key]: instanceValue(advertised) },
      'entity-service',
    );
    closeOnShutdown('the etcd registration', () => registration.stop());
  }
});

async function connectMongo(url: string) {
  const mongo = new MongoClient(url, {
    serverSelectionTimeoutMS: 5000,
    // FerretDB's SQLite has one writer: with one connection a replica's commands wait in the
    // driver, in turn; with many they race in SQLite's busy wait, which starves some for seconds.
    maxPoolSize: integer('MONGODB_MAX_POOL_SIZE', 1, 1, 1000),
  });
  await mongo.connect();
  closeOnShutdown('MongoDB', () => mongo.close());
  return mongo.db(text('MONGODB_DB', 'obskit_demo')).collection<EntityDocument>('entities');
}

async function connectRedis(url: string): Promise<Redis> {
  // Fail fast while Redis is away instead of queueing commands: the cache is optional.
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => {}); // each failed command is logged where it fails
  await redis.connect();
  closeOnShutdown('Redis', () => redis.quit());
  return redis;
}

/** The service and gRPC's health service on `address`, closed in that order at shutdown. */
async function serve(handlers: grpc.UntypedServiceImplementation, address: string): Promise<void> {
  const server = new grpc.Server();
  server.addService(loadEntityService().service, handlers);
  const health = new HealthImplementation({ '': 'SERVING', [entityServiceName]: 'SERVING' });
  health.addToServer(server);
  await bindWithRetry(server, address);
  closeOnShutdown('the gRPC server', () => {
    // Health checks see the replica leave before its port closes; calls in flight finish.
    health.setStatus('', 'NOT_SERVING');
    health.setStatus(entityServiceName, 'NOT_SERVING');
    return new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });
}

/**
 * 50051 lies in Linux's ephemeral range: an outgoing connection of any process may hold it as
 * its local port for a moment, so a bind that finds it in use is tried again for a few seconds.
 */
async function bindWithRetry(server: grpc.Server, address: string, deadlineMs = 10_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
          error ? reject(error) : resolve(port),
        ),
      );
    } catch (error) {
      if (!/EADDRINUSE/.test(String(error)) || Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
