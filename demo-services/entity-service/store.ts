// Entities in MongoDB: one document per entity, its id a UUID string.

import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Entity } from '../common/proto';

export interface EntityDocument {
  _id: string;
  name: string;
  attributes: Record<string, string>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EntityChanges {
  name: string;
  attributes: Record<string, string>;
}

export interface EntityStore {
  create(changes: EntityChanges): Promise<Entity>;
  get(id: string): Promise<Entity | undefined>;
  update(id: string, changes: EntityChanges): Promise<Entity | undefined>;
  /** True when there was such an entity. */
  remove(id: string): Promise<boolean>;
  list(limit: number): Promise<Entity[]>;
}

const toEntity = (doc: EntityDocument): Entity => ({
  id: doc._id,
  name: doc.name,
  attributes: doc.attributes,
  version: doc.version,
  created_at: doc.createdAt.toISOString(),
  updated_at: doc.updatedAt.toISOString(),
});

export function entityStore(entities: Collection<EntityDocument>): EntityStore {
  return {
    async create(changes) {
      const now = new Date();
      const doc = { _id: randomUUID(), ...changes, version: 1, createdAt: now, updatedAt: now };
      await entities.insertOne(doc);
      return toEntity(doc);
    },
    async get(id) {
      const doc = await entities.findOne({ _id: id });
      return doc ? toEntity(doc) : undefined;
    },
    async update(id, changes) {
      const doc = await entities.findOneAndUpdate(
        { _id: id },
        { $set: { ...changes, updatedAt: new Date() }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      return doc ? toEntity(doc) : undefined;
    },
    async remove(id) {
      return (await entities.deleteOne({ _id: id })).deletedCount === 1;
    },
    async list(limit) {
      // Storage order: FerretDB's SQLite backend pushes a limit down only without a sort, and a
      // sort reads the whole collection (6000 entities: 250 ms a list, enough to stall the demo).
      const docs = await entities.find({}).limit(limit).toArray();
      return docs.map(toEntity);
    },
  };
}
