// The Redis side of cache-aside: reads fill it, writes invalidate it. A failing cache is logged
// and bypassed, never an error for the caller: MongoDB still has the truth.

import type { Redis } from 'ioredis';
import { logger } from 'obskit/logger';
import type { Entity } from '../common/proto';

export interface EntityCache {
  get(id: string): Promise<Entity | undefined>;
  put(entity: Entity): Promise<void>;
  invalidate(id: string): Promise<void>;
}

const keyOf = (id: string) => `entity:${id}`;

export function entityCache(redis: Redis, ttlSeconds: number, isDown: () => boolean): EntityCache {
  async function bypassOnFailure<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      if (isDown()) throw new Error('Redis is unreachable (injected outage)');
      return await work();
    } catch (error) {
      logger.warn(`cache ${what} failed, going to MongoDB: ${(error as Error).message}`);
      return undefined;
    }
  }
  return {
    async get(id) {
      const hit = await bypassOnFailure('read', () => redis.get(keyOf(id)));
      return hit ? (JSON.parse(hit) as Entity) : undefined;
    },
    async put(entity) {
      await bypassOnFailure('fill', () =>
        redis.set(keyOf(entity.id), JSON.stringify(entity), 'EX', ttlSeconds),
      );
    },
    async invalidate(id) {
      await bypassOnFailure('invalidation', () => redis.del(keyOf(id)));
    },
  };
}
