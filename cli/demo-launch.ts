// How `obskit demo` runs the demo services and the load: each under the preload, the services
// in their own process groups with pid files (so stopping never touches anything it did not
// start), wired to the local stack by environment, and listed in Prometheus's file-based
// discovery while they run.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../common/errors';
import { appTargetsDir } from '../common/stack-paths';
import { etcdClient } from '../demo-services/common/discovery/etcd-client';
import { registerStores, type StoreAddresses } from '../demo-services/common/discovery/stores';
import { httpOk, tcpOk, waitFor } from '../stack/health';
import { backendPortOf, portFree } from '../stack/ports';
import { logTail, notReady, runningPid, startProcess, stopProcess } from '../stack/processes';
import type { StackConfig } from '../stack/types';

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

/** DISCOVERY for the demo: etcd unless set to static; anything else stops the command. */
function discoveryOf(env: NodeJS.ProcessEnv): 'etcd' | 'static' {
  const mode = env.DISCOVERY || 'etcd';
  if (mode !== 'etcd' && mode !== 'static')
    throw obskitError('OBSKIT_E_BAD_ENV', 'DISCOVERY', mode, 'etcd or static');
  return mode;
}

const etcdUrlOf = (config: StackConfig, env: NodeJS.ProcessEnv) =>
  env.OBSKIT_ETCD_URL || `http://127.0.0.1:${backendPortOf(config, 'etcd', 'client')}`;

export function demoPlan(config: StackConfig, replicas: number, env = process.env): DemoPlan {
  const dir = join(config.runDir, 'demo');
  const {
    gateway: gatewayPort,
    entityService: firstReplicaPort,
    appMetrics: firstMetricsPort,
  } = config.demoPorts;
  const faultsFile = join(dir, 'faults.json');
  // The seeds' flow: services found through the stack's etcd, the load through Traefik;
  // DISCOVERY=static gives fixed addresses and the gateway reached directly.
  const etcdUrl = discoveryOf(env) === 'etcd' ? etcdUrlOf(config, env) : undefined;
  const discovery = etcdUrl ? { DISCOVERY: 'etcd', OBSKIT_ETCD_URL: etcdUrl } : {};
  const stores = {
    redis: `127.0.0.1:${backendPortOf(config, 'redis')}`,
    mongodb: `127.0.0.1:${backendPortOf(config, 'ferretdb')}`,
  };
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${backendPortOf(config, 'jaeger', 'otlp-http')}`,
    // Lines go to Elasticsearch and, for `tail -f`, to the service's log file.
    OBSKIT_LOG_TRANSPORTS: 'syslog,console',
    OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${backendPortOf(config, 'rsyslog')}`,
    FAULTS_FILE: faultsFile,
    ...discovery,
  };
  const replicaPorts = Array.from({ length: replicas }, (_, i) => firstReplicaPort + i);
  const replicaServices: DemoService[] = replicaPorts.map((port, i) => ({
    name: `entity-service-${i + 1}`,
    service: 'entity-service',
    port,
    portEnv: 'OBSKIT_PORT_ENTITY_SERVICE',
    metricsPort: firstMetricsPort + 1 + i,
    env: {
      MONGODB_URL: `mongodb://${stores.mongodb}/`,
      MONGODB_DB: 'obskit_demo',
      REDIS_URL: `redis://${stores.redis}`,
    },
  }));
  const gateway: DemoService = {
    name: 'gateway',
    service: 'gateway',
    port: gatewayPort,
    portEnv: 'OBSKIT_PORT_GATEWAY',
    metricsPort: firstMetricsPort,
    env: {
      ENTITY_SERVICE_TARGET: `ipv4:${replicaPorts.map((p) => `127.0.0.1:${p}`).join(',')}`,
    },
  };
  const envOf = (service: string, metricsPort: number, own: NodeJS.ProcessEnv = {}) => ({
    ...env,
    ...telemetry,
    ...own,
    OTEL_SERVICE_NAME: service,
    OBSKIT_METRICS_PORT: String(metricsPort),
    // The demo lists its services in plan.targetsFile itself, a replica it kills included.
    OBSKIT_METRICS_REGISTER: 'false',
  });
  const services = [...replicaServices, gateway].map((s) => ({
    ...s,
    env: envOf(s.service, s.metricsPort, { ...s.env, PORT: String(s.port) }),
  }));
  // Its metrics port is the one after the gateway's and the replicas'.
  const loadMetricsPort = firstMetricsPort + 1 + replicas;
  return {
    dir,
    services,
    load: {
      service: 'load-generator',
      metricsPort: loadMetricsPort,
      env: envOf('load-generator', loadMetricsPort),
    },
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    edgeUrl: etcdUrl
      ? `http://127.0.0.1:${backendPortOf(config, 'traefik', 'web')}`
      : `http://127.0.0.1:${gatewayPort}`,
    faultsFile,
    loadSummaryFile: join(dir, 'load-summary.json'),
    targetsFile: join(appTargetsDir(config.runDir), 'obskit-demo.json'),
    etcdUrl,
    stores,
  };
}

const pidFileOf = (plan: DemoPlan, service: DemoService) => join(plan.dir, service.name, 'pid');
export const logFileOf = (plan: DemoPlan, service: DemoService) =>
  join(plan.dir, service.name, `${service.name}.log`);

/** Fails before anything starts when a port the demo needs is taken. */
export async function checkDemoPorts(plan: DemoPlan): Promise<void> {
  const metrics = (name: string, port: number) => ({
    port,
    owner: `${name} metrics`,
    env: 'OBSKIT_PORT_APP_METRICS',
  });
  const ports = [
    ...plan.services.flatMap((s) => [
      { port: s.port, owner: s.name, env: s.portEnv },
      metrics(s.name, s.metricsPort),
    ]),
    metrics(plan.load.service, plan.load.metricsPort),
  ];
  for (const { port, owner, env } of ports) {
    if (!(await portFree(port))) throw obskitError('OBSKIT_E_PORT_TAKEN', port, owner, env);
  }
}

const preloaded = (packageRoot: string, ...path: string[]) => [
  '-r',
  join(packageRoot, 'instrumentation'),
  join(packageRoot, 'dist', 'demo-services', ...path),
];

/** Starts every service under the preload and waits until each one listens. */
export async function startDemoServices(plan: DemoPlan, packageRoot: string): Promise<void> {
  mkdirSync(plan.dir, { recursive: true });
  writeFileSync(plan.faultsFile, `${JSON.stringify(noFaults, null, 2)}\n`);
  if (plan.etcdUrl) await registerDemoStores(plan, plan.etcdUrl);
  for (const service of plan.services) {
    startProcess({
      command: process.execPath,
      args: preloaded(packageRoot, service.service, 'main.js'),
      cwd: packageRoot,
      env: service.env,
      logFile: logFileOf(plan, service),
      pidFile: pidFileOf(plan, service),
    });
  }
  writeFileSync(
    plan.targetsFile,
    `${JSON.stringify(
      [...plan.services, plan.load].map((s) => ({
        targets: [`127.0.0.1:${s.metricsPort}`],
        labels: { service: s.service },
      })),
      null,
      2,
    )}\n`,
  );
  const listening = (s: DemoService) => tcpOk(s.port);
  const failed = await notReady(plan.services, listening, (s) => pidFileOf(plan, s), 30_000);
  if (failed.length > 0) {
    const tails = failed
      .map((s) => `${s.name}: ${logTail(logFileOf(plan, s), 1)[0] ?? '(no log)'}`)
      .join('; ');
    throw obskitError('OBSKIT_E_DEMO_SERVICE', tails, plan.dir);
  }
  if (plan.edgeUrl !== plan.gatewayUrl) await waitForEdge(plan);
}

/** Traefik routes to the gateway once its etcd provider has read the gateway's keys. */
async function waitForEdge(plan: DemoPlan, deadlineMs = 20_000): Promise<void> {
  if (await waitFor(() => httpOk(`${plan.edgeUrl}/health`), deadlineMs, 250)) return;
  throw obskitError('OBSKIT_E_DEMO_EDGE', plan.edgeUrl, deadlineMs / 1000, plan.dir);
}

/** The stores' addresses in etcd, where the replicas look them up: the stores are the demo's. */
async function registerDemoStores(plan: DemoPlan, etcdUrl: string): Promise<void> {
  try {
    await registerStores(etcdClient(etcdUrl), plan.stores);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw obskitError('OBSKIT_E_DEMO_SERVICE', `etcd at ${etcdUrl}: ${reason}`, plan.dir);
  }
}

/**
 * The load generator under the preload, in the foreground: its progress line shares the demo's
 * terminal. It holds after --duration so that Prometheus scrapes its last counts.
 */
export function startLoadGenerator(
  plan: DemoPlan,
  packageRoot: string,
  rate: number,
  duration: number,
): ChildProcess {
  const args = [
    ...preloaded(packageRoot, 'load', 'main.js'),
    ...['--url', plan.edgeUrl, '--rate', String(rate), '--duration', String(duration)],
    ...['--summary', plan.loadSummaryFile, '--hold'],
  ];
  // An earlier run's summary must not pass for this one's.
  rmSync(plan.loadSummaryFile, { force: true });
  return spawn(process.execPath, args, {
    cwd: packageRoot,
    env: plan.load.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Stops what startDemoServices started, gateway first so no request meets a gone replica. */
export async function stopDemoServices(plan: DemoPlan, log: (line: string) => void): Promise<void> {
  rmSync(plan.targetsFile, { force: true });
  const stop = async (service: DemoService) => {
    const pid = await stopProcess(pidFileOf(plan, service), 15_000);
    if (pid !== undefined) log(`stopped ${service.name} (pid ${pid})`);
  };
  const gateway = plan.services.filter((s) => s.service === 'gateway');
  await Promise.all(gateway.map(stop));
  await Promise.all(plan.services.filter((s) => !gateway.includes(s)).map(stop));
}

/** The process of a running demo service, for tests that kill one. */
export const demoServicePid = (plan: DemoPlan, name: string) => {
  const service = plan.services.find((s) => s.name === name);
  return service ? runningPid(pidFileOf(plan, service)) : undefined;
};

/** Every knob at rest; `obskit demo` writes this, the user edits it to inject faults. */
const noFaults = {
  gateway: { latencyMs: 0, errorRate: 0, outage: '' },
  'entity-service': { latencyMs: 0, errorRate: 0, outage: '' },
};
