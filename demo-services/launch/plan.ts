// What `obskit demo` runs, worked out before anything starts: each service's ports and
// environment, wired to the local stack (telemetry, stores, etcd discovery), the load, and the
// files the run keeps. A bad port variable or DISCOVERY stops the command here with one line.

import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { appTargetsDir } from '../../common/stack-paths';
import { backendPortOf, memberPortsOf, portFromEnv } from '../../stack/ports';
import type { StackConfig } from '../../stack/types';
import type { StoreAddresses } from '../common/discovery/stores';

export interface DemoService {
  /** gateway, entity-service-1, entity-service-2, … */
  name: string;
  /** OTEL_SERVICE_NAME: the replicas share one. */
  service: 'gateway' | 'entity-service';
  port: number;
  /** The variable that moves `port` (replicas take the ports after it). */
  portEnv: string;
  metricsPort: number;
  env: NodeJS.ProcessEnv;
}

/** The load, a traced HTTP client under the preload; the demo runs it in the foreground. */
export interface DemoLoad {
  service: 'load-generator';
  metricsPort: number;
  env: NodeJS.ProcessEnv;
}

export interface DemoPlan {
  dir: string;
  services: DemoService[];
  load: DemoLoad;
  gatewayUrl: string;
  /** Where the load goes: Traefik's web entry point with discovery, the gateway without. */
  edgeUrl: string;
  faultsFile: string;
  loadSummaryFile: string;
  targetsFile: string;
  /** Set when DISCOVERY=etcd: the services register in and resolve from this etcd. */
  etcdUrl?: string;
  /** What registerStores writes to etcd before the services start. */
  stores: StoreAddresses;
}

/** The demo's first ports; replicas and the next /metrics take the ports after these. */
const demoPorts = (env: NodeJS.ProcessEnv) => ({
  gateway: portFromEnv(env, 'OBSKIT_PORT_GATEWAY', 8080),
  firstReplica: portFromEnv(env, 'OBSKIT_PORT_ENTITY_SERVICE', 50051),
  firstMetrics: portFromEnv(env, 'OBSKIT_PORT_APP_METRICS', 9464),
});

/** DISCOVERY for the demo: etcd unless set to static; anything else stops the command. */
function discoveryOf(env: NodeJS.ProcessEnv): 'etcd' | 'static' {
  const mode = env.DISCOVERY || 'etcd';
  if (mode !== 'etcd' && mode !== 'static')
    throw obskitError('OBSKIT_E_BAD_ENV', 'DISCOVERY', mode, 'etcd or static');
  return mode;
}

/**
 * The seeds' flow: services found through the stack's etcd, every member of it in the cluster
 * topology (comma-separated); DISCOVERY=static gives fixed addresses.
 */
export const etcdUrlOf = (config: StackConfig, env: NodeJS.ProcessEnv) =>
  discoveryOf(env) === 'etcd'
    ? env.OBSKIT_ETCD_URL ||
      memberPortsOf(config, 'etcd', 'client')
        .map((port) => `http://127.0.0.1:${port}`)
        .join(',')
    : undefined;

/** What every process of the demo is given: where its telemetry goes, faults, discovery. */
function telemetryEnv(config: StackConfig, faultsFile: string, etcdUrl: string | undefined) {
  const local = (backend: string, port?: string) =>
    `127.0.0.1:${backendPortOf(config, backend, port)}`;
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${local('jaeger', 'otlp-http')}`,
    // Lines go to Elasticsearch and, for `tail -f`, to the service's log file.
    OBSKIT_LOG_TRANSPORTS: 'syslog,console',
    OBSKIT_LOG_SYSLOG_URL: `tcp://${local('rsyslog')}`,
    FAULTS_FILE: faultsFile,
    ...(etcdUrl ? { DISCOVERY: 'etcd', OBSKIT_ETCD_URL: etcdUrl } : {}),
  };
}

/** The entity-service replicas on consecutive ports, then the gateway that balances over them. */
function demoServices(
  ports: ReturnType<typeof demoPorts>,
  replicas: number,
  stores: StoreAddresses,
) {
  const replicaPorts = Array.from({ length: replicas }, (_, i) => ports.firstReplica + i);
  const replicaServices: DemoService[] = replicaPorts.map((port, i) => ({
    name: `entity-service-${i + 1}`,
    service: 'entity-service',
    port,
    portEnv: 'OBSKIT_PORT_ENTITY_SERVICE',
    metricsPort: ports.firstMetrics + 1 + i,
    env: {
      MONGODB_URL: `mongodb://${stores.mongodb}/`,
      MONGODB_DB: 'obskit_demo',
      REDIS_URL: `redis://${stores.redis}`,
    },
  }));
  const gateway: DemoService = {
    name: 'gateway',
    service: 'gateway',
    port: ports.gateway,
    portEnv: 'OBSKIT_PORT_GATEWAY',
    metricsPort: ports.firstMetrics,
    env: { ENTITY_SERVICE_TARGET: `ipv4:${replicaPorts.map((p) => `127.0.0.1:${p}`).join(',')}` },
  };
  return [...replicaServices, gateway];
}

export function demoPlan(config: StackConfig, replicas: number, env = process.env): DemoPlan {
  const dir = join(config.runDir, 'demo');
  const ports = demoPorts(env);
  const faultsFile = join(dir, 'faults.json');
  const etcdUrl = etcdUrlOf(config, env);
  const stores = {
    redis: `127.0.0.1:${backendPortOf(config, 'redis')}`,
    mongodb: `127.0.0.1:${backendPortOf(config, 'ferretdb')}`,
  };
  const telemetry = telemetryEnv(config, faultsFile, etcdUrl);
  const envOf = (service: string, metricsPort: number, own: NodeJS.ProcessEnv = {}) => ({
    ...env,
    ...telemetry,
    ...own,
    OTEL_SERVICE_NAME: service,
    OBSKIT_METRICS_PORT: String(metricsPort),
    // The demo lists its services in plan.targetsFile itself, a replica it kills included.
    OBSKIT_METRICS_REGISTER: 'false',
  });
  const services = demoServices(ports, replicas, stores).map((s) => ({
    ...s,
    env: envOf(s.service, s.metricsPort, { ...s.env, PORT: String(s.port) }),
  }));
  // Its metrics port is the one after the gateway's and the replicas'.
  const loadMetricsPort = ports.firstMetrics + 1 + replicas;
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  return {
    dir,
    services,
    load: {
      service: 'load-generator',
      metricsPort: loadMetricsPort,
      env: envOf('load-generator', loadMetricsPort),
    },
    gatewayUrl,
    edgeUrl: etcdUrl ? `http://127.0.0.1:${backendPortOf(config, 'traefik', 'web')}` : gatewayUrl,
    faultsFile,
    loadSummaryFile: join(dir, 'load-summary.json'),
    targetsFile: join(appTargetsDir(config.runDir), 'obskit-demo.json'),
    etcdUrl,
    stores,
  };
}
