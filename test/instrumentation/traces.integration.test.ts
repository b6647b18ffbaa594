// The preload end to end: an Express gateway calls a gRPC entity service that reads MongoDB
// (FerretDB) through a Redis cache — two real processes with no tracing code of their own —
// and the trace fetched from Jaeger by ID has exactly the expected spans, links and attributes,
// with none of the request's secrets in it; on Jaeger's default Elasticsearch store and on memory.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Loader, type RunningApp, startApp } from '../helpers/apps';
import { dropDatabase, entityServiceEnv, seedEntity } from '../helpers/entities';
import {
  fetchTrace,
  newTraceparent,
  parentOf,
  serviceOf,
  shapeOf,
  tagsOf,
} from '../helpers/jaeger';
import { portOf, repoRoot, restartJaeger, uniqueId } from '../helpers/stack';

interface Variant {
  name: string;
  loader: Loader;
  gateway: string;
  entityService: string;
  exporter: 'otlp' | 'jaeger';
  /** Span names of the cache's GET and SET: ioredis and node-redis name them differently. */
  redisSpans: [string, string];
  /** Express 4, mongodb 6 and node-redis 4 from test/fixtures/compat instead of the newest. */
  olderMajors?: boolean;
  /** Jaeger's store for this variant, when not the default Elasticsearch. */
  jaegerStorage?: 'memory';
}

const variants: Variant[] = [
  {
    name: 'commonjs',
    loader: 'require',
    gateway: 'gateway.cjs',
    entityService: 'entity-service.cjs',
    exporter: 'otlp',
    redisSpans: ['get', 'set'],
  },
  {
    name: 'esm',
    loader: 'import',
    gateway: 'gateway.mjs',
    entityService: 'entity-service.mjs',
    exporter: 'otlp',
    redisSpans: ['redis-GET', 'redis-SET'],
  },
  {
    name: 'jaeger-exporter',
    loader: 'require',
    gateway: 'gateway.cjs',
    entityService: 'entity-service.cjs',
    exporter: 'jaeger',
    redisSpans: ['get', 'set'],
  },
  {
    name: 'express 4, mongodb 6, node-redis 4',
    loader: 'import',
    gateway: 'gateway.cjs',
    entityService: 'entity-service.mjs',
    exporter: 'otlp',
    redisSpans: ['redis-GET', 'redis-SET'],
    olderMajors: true,
  },
  {
    name: "Jaeger's memory store",
    loader: 'require',
    gateway: 'gateway.cjs',
    entityService: 'entity-service.cjs',
    exporter: 'otlp',
    redisSpans: ['get', 'set'],
    jaegerStorage: 'memory',
  },
];

const compatModules = join(repoRoot, 'test', 'fixtures', 'compat');

for (const variant of variants) {
  describe(`traces of gateway → entity service (${variant.name})`, () => {
    const run = uniqueId(variant.name.replace(/[^a-z0-9]+/gi, '-'));
    const database = `obskit_${run.replaceAll('-', '_')}`;
    const canary = uniqueId('canary');
    const entityId = uniqueId('entity');
    const services = { gateway: `gateway-${run}`, entity: `entity-service-${run}` };
    let entityService: RunningApp;
    let gateway: RunningApp;

    before(async () => {
      if (variant.jaegerStorage) restartJaeger({ OBSKIT_JAEGER_STORAGE: variant.jaegerStorage });
      await seedEntity(database, { _id: entityId, owner: canary, data: `data-${canary}` });
      const common = {
        OTEL_TRACES_EXPORTER: variant.exporter,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
        OTEL_EXPORTER_JAEGER_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'thrift-http')}/api/traces`,
        ...(variant.olderMajors ? { FIXTURE_MODULES: compatModules } : {}),
      };
      entityService = await startApp(variant.entityService, variant.loader, {
        ...common,
        OTEL_SERVICE_NAME: services.entity,
        ...entityServiceEnv(database),
      });
      gateway = await startApp(variant.gateway, variant.loader, {
        ...common,
        OTEL_SERVICE_NAME: services.gateway,
        ENTITY_SERVICE_ADDRESS: `127.0.0.1:${entityService.port}`,
      });
    });

    after(async () => {
      await Promise.all([gateway?.stop(), entityService?.stop()]);
      await dropDatabase(database);
      if (variant.jaegerStorage) restartJaeger();
    });

    test('one request gives one trace with every hop, linked, named and attributed', async () => {
      const context = newTraceparent();
      const response = await fetch(
        `http://127.0.0.1:${gateway.port}/entities/${entityId}?token=${canary}&page=2`,
        {
          headers: {
            traceparent: context.header,
            authorization: `Bearer ${canary}`,
            'x-owner': canary,
          },
        },
      );
      const body = await response.json();
      // The secrets really went through every hop: the entity came back through all of them.
      assert.deepEqual(
        [response.status, body],
        [200, { id: entityId, owner: canary, data: `data-${canary}`, cached: false }],
      );

      const trace = await fetchTrace(context.traceId, 6);
      const redis = variant.redisSpans;
      assert.deepEqual(
        shapeOf(trace),
        [
          `${services.entity} client ${redis[0]} <- grpc.entities.EntityService/GetEntity`,
          `${services.entity} client ${redis[1]} <- grpc.entities.EntityService/GetEntity`,
          `${services.entity} client find entities <- grpc.entities.EntityService/GetEntity`,
          `${services.entity} server grpc.entities.EntityService/GetEntity <- grpc.entities.EntityService/GetEntity`,
          `${services.gateway} client grpc.entities.EntityService/GetEntity <- GET /entities/:id`,
          `${services.gateway} server GET /entities/:id <- remote parent`,
        ].sort(),
      );

      const span = (service: string, kind: string, name: string) => {
        const found = trace.spans.find(
          (s) =>
            serviceOf(trace, s) === service &&
            tagsOf(s)['span.kind'] === kind &&
            s.operationName === name,
        );
        assert.ok(found, `${service} ${kind} ${name}`);
        return found;
      };
      const httpServer = span(services.gateway, 'server', 'GET /entities/:id');
      assert.equal(parentOf(httpServer), context.parentId);
      assert.deepEqual(
        pick(tagsOf(httpServer), [
          'http.request.method',
          'http.route',
          'http.response.status_code',
          'url.path',
          'url.scheme',
        ]),
        {
          'http.request.method': 'GET',
          'http.route': '/entities/:id',
          'http.response.status_code': 200,
          'url.path': `/entities/${entityId}`,
          'url.scheme': 'http',
        },
      );

      const rpc = ['rpc.system', 'rpc.service', 'rpc.method', 'rpc.grpc.status_code'];
      const rpcTags = {
        'rpc.system': 'grpc',
        'rpc.service': 'entities.EntityService',
        'rpc.method': 'GetEntity',
        'rpc.grpc.status_code': 0,
      };
      assert.deepEqual(
        pick(
          tagsOf(span(services.gateway, 'client', 'grpc.entities.EntityService/GetEntity')),
          rpc,
        ),
        rpcTags,
      );
      const grpcServer = span(services.entity, 'server', 'grpc.entities.EntityService/GetEntity');
      assert.deepEqual(pick(tagsOf(grpcServer), rpc), rpcTags);

      const find = tagsOf(span(services.entity, 'client', 'find entities'));
      assert.deepEqual(
        pick(find, ['db.system.name', 'db.namespace', 'db.collection.name', 'db.operation.name']),
        {
          'db.system.name': 'mongodb',
          'db.namespace': database,
          'db.collection.name': 'entities',
          'db.operation.name': 'find',
        },
      );
      // The filter keeps its shape, its values are gone.
      assert.match(String(find['db.query.text']), /"filter":\{"_id":"\?","owner":"\?"\}/);

      for (const command of redis) {
        const tags = tagsOf(span(services.entity, 'client', command));
        assert.equal(tags['db.system.name'], 'redis');
        // The command alone: no key, no value.
        assert.equal(
          String(tags['db.query.text']).toLowerCase(),
          command.replace('redis-', '').toLowerCase(),
        );
      }

      // No secret anywhere: not the Authorization header, the ?token=, the Mongo filter nor the Redis value.
      assert.equal(
        JSON.stringify(trace).includes(canary),
        false,
        'the canary leaked into the trace',
      );
      assert.equal(tagsOf(httpServer)['url.query'], 'token=REDACTED&page=2');
    });
  });
}

function pick(tags: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, tags[k]]));
}
