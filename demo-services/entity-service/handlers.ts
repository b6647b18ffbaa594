// The EntityService methods: validation, cache-aside reads, writes that invalidate the cache,
// one mapping from failures to gRPC status codes, and one access line per call.

import { type handleUnaryCall, status, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { logger } from 'obskit/logger';
import { writeAccessLine } from '../common/access-line';
import type { FaultInjector } from '../common/faults';
import type { Entity } from '../common/proto';
import { grpcAccessLine } from './access-log';
import type { EntityCache } from './cache';
import type { EntityChanges, EntityStore } from './store';

/** A failure with the gRPC status it answers with. */
class CallError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

function changesOf(request: { name: string; attributes: Record<string, string> }): EntityChanges {
  if (request.name.trim() === '') throw new CallError(status.INVALID_ARGUMENT, 'name is empty');
  return { name: request.name, attributes: request.attributes };
}

const notFound = (id: string) => new CallError(status.NOT_FOUND, `no entity with id ${id}`);

function found<T>(entity: T | undefined, id: string): T {
  if (entity === undefined) throw notFound(id);
  return entity;
}

/** Each call: injected faults first, then the work; answered and logged on one access line. */
function unaryCall<Request, Response>(
  faults: FaultInjector,
  work: (request: Request) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const start = process.hrtime.bigint();
    const log = (code: status, error?: Error) =>
      writeAccessLine(grpcAccessLine(call.getPath(), code, process.hrtime.bigint() - start, error));
    const run = async () => {
      await faults.delay();
      if (faults.shouldFail()) throw new CallError(status.INTERNAL, 'injected error');
      if (faults.isDown('mongodb'))
        throw new CallError(status.UNAVAILABLE, 'MongoDB is unreachable (injected outage)');
      return work(call.request);
    };
    run().then(
      (response) => {
        log(status.OK);
        callback(null, response);
      },
      (error: Error) => {
        const code = error instanceof CallError ? error.code : status.UNAVAILABLE;
        log(code, error);
        callback({ code, details: error.message });
      },
    );
  };
}

export function entityHandlers(
  store: EntityStore,
  cache: EntityCache,
  faults: FaultInjector,
): UntypedServiceImplementation {
  const unary = <Request, Response>(work: (request: Request) => Promise<Response>) =>
    unaryCall(faults, work);
  return {
    CreateEntity: unary(async (request: EntityChanges) => {
      const entity = await store.create(changesOf(request));
      logger.info(`created entity ${entity.id}`, { 'entity.id': entity.id });
      return entity;
    }),
    GetEntity: unary(async ({ id }: { id: string }) => {
      const cached = await cache.get(id);
      if (cached) return cached;
      const entity = found(await store.get(id), id);
      await cache.put(entity);
      return entity;
    }),
    UpdateEntity: unary(async (request: EntityChanges & { id: string }) => {
      const entity = found(await store.update(request.id, changesOf(request)), request.id);
      await cache.invalidate(entity.id);
      logger.info(`updated entity ${entity.id} to version ${entity.version}`, {
        'entity.id': entity.id,
      });
      return entity;
    }),
    DeleteEntity: unary(async ({ id }: { id: string }) => {
      if (!(await store.remove(id))) throw notFound(id);
      await cache.invalidate(id);
      logger.info(`deleted entity ${id}`, { 'entity.id': id });
      return {};
    }),
    ListEntities: unary(async ({ limit }: { limit: number }): Promise<{ entities: Entity[] }> => {
      if (limit < 1 || limit > 100)
        throw new CallError(status.INVALID_ARGUMENT, 'limit must be from 1 to 100');
      return { entities: await store.list(limit) };
    }),
  };
}
