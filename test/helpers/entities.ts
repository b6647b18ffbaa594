// The entity test apps' data and environment: a MongoDB database of their own per test.

import { MongoClient } from 'mongodb';
import { portOf } from './stack';

export const mongoUrl = () => `mongodb://127.0.0.1:${portOf('ferretdb')}/`;

async function withDatabase(
  database: string,
  work: (db: ReturnType<MongoClient['db']>) => Promise<unknown>,
) {
  const mongo = new MongoClient(mongoUrl());
  await mongo.connect();
  try {
    await work(mongo.db(database));
  } finally {
    await mongo.close();
  }
}

export const seedEntity = (
  database: string,
  entity: { _id: string; owner: string; data: string },
) => withDatabase(database, (db) => db.collection('entities').insertOne(entity as never));

export const dropDatabase = (database: string) => withDatabase(database, (db) => db.dropDatabase());

/** What entity-service.cjs and .mjs need to reach the stack's FerretDB and Redis. */
export const entityServiceEnv = (database: string) => ({
  MONGODB_URL: mongoUrl(),
  MONGODB_DB: database,
  REDIS_URL: `redis://127.0.0.1:${portOf('redis')}`,
});
