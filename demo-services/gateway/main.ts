// The gateway: a JSON HTTP API in front of the entity service's replicas.
// It has no tracing or metrics code: `node -r obskit/instrumentation` provides them.

import type { Server } from 'node:http';
import { logger } from 'obskit/logger';
import { advertisedHost, discoveryFromEnv } from '../common/discovery/from-env';
import { gatewayRoute } from '../common/discovery/keys';
import { register } from '../common/discovery/registration';
import { etcdTarget, registerEtcdResolver } from '../common/discovery/resolver';
import { faultInjector } from '../common/faults';
import { closeOnShutdown, runService } from '../common/lifecycle';
import { integer, text } from '../common/settings';
import { gatewayApp } from './app';
import { entityClient } from './entity-client';

runService('gateway', async () => {
  const host = text('HOST', '127.0.0.1');
  const port = integer('PORT', 8080, 1, 65535);
  const faults = faultInjector('gateway', ['entity-service']);
  const etcd = discoveryFromEnv();
  // Checked at start: a bad value stops the gateway before it listens.
  const advertised = etcd ? advertisedHost(host) : host;
  if (etcd) registerEtcdResolver(etcd);
  const entities = entityClient(
    etcd
      ? etcdTarget('entity-service')
      : text('ENTITY_SERVICE_TARGET', 'ipv4:127.0.0.1:50051,127.0.0.1:50052'),
    integer('ENTITY_SERVICE_DEADLINE_MS', 5000, 1, 600_000),
  );
  closeOnShutdown('the entity-service client', () => entities.close());

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = gatewayApp(entities, faults).listen(port, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  // Requests in flight finish; idle keep-alive connections close.
  closeOnShutdown('the HTTP server', () => new Promise((resolve) => server.close(resolve)));
  logger.info(`gateway listening on http://${host}:${port}`);
  if (etcd) {
    // Traefik's route: the router's keys stay (every gateway shares them), the server goes with us.
    const route = gatewayRoute(port, advertised);
    for (const [key, value] of Object.entries(route.shared)) await etcd.put(key, value);
    const registration = await register(etcd, route.instance, 'gateway');
    closeOnShutdown('the etcd registration', () => registration.stop());
  }
});
