// The entity service's gRPC definition, loaded from demo-services/proto at run time.

import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** From dist/demo-services/common back to the repository's demo-services/proto. */
export const protoFile = join(
  __dirname,
  '..',
  '..',
  '..',
  'demo-services',
  'proto',
  'entities.proto',
);

/** The fully qualified service name, as the health service reports it. */
export const entityServiceName = 'obskit.demo.entities.v1.EntityService';

export interface Entity {
  id: string;
  name: string;
  attributes: Record<string, string>;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The loaded service: its definition for a server, its client class for a caller. */
export function loadEntityService(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(protoFile, { keepCase: true, defaults: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    obskit: { demo: { entities: { v1: { EntityService: grpc.ServiceClientConstructor } } } };
  };
  return loaded.obskit.demo.entities.v1.EntityService;
}
