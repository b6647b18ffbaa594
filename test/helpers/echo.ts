// The echo pair of test/fixtures/apps/exit: an Express gateway calling a gRPC echo service,
// both under the preload and both ending with their own process.exit(0) on SIGTERM.

import { join } from 'node:path';
import { type RunningApp, startApp } from './apps';

export interface EchoPair {
  gateway: RunningApp;
  echo: RunningApp;
  services: { gateway: string; echo: string };
}

/** Starts the echo service, then the gateway calling it; both tagged RUN=`run`. */
export async function startEchoPair(run: string, env: NodeJS.ProcessEnv): Promise<EchoPair> {
  const services = { gateway: `gateway-${run}`, echo: `echo-${run}` };
  const common = { RUN: run, ...env };
  const echo = await startApp(join('exit', 'echo-service.cjs'), 'require', {
    ...common,
    OTEL_SERVICE_NAME: services.echo,
  });
  const gateway = await startApp(join('exit', 'echo-gateway.cjs'), 'require', {
    ...common,
    OTEL_SERVICE_NAME: services.gateway,
    ECHO_TARGET: `127.0.0.1:${echo.port}`,
  });
  return { gateway, echo, services };
}

/** The spans of one GET /hop/:seq, as shapeOf lists them. */
export const hopShape = (services: EchoPair['services']) => [
  `${services.echo} server grpc.obskit.test.Echo/Echo <- grpc.obskit.test.Echo/Echo`,
  `${services.gateway} client grpc.obskit.test.Echo/Echo <- GET /hop/:seq`,
  `${services.gateway} server GET /hop/:seq <- remote parent`,
];
