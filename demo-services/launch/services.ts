// How `obskit demo` runs its plan: the services under the preload, started, waited for and
// stopped by the stack's supervisor (pid files, so stopping never touches anything it did not
// start), listed in Prometheus's file-based discovery while they run; and the load in the
// foreground.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { httpOk, tcpOk, waitFor } from '../../stack/health';
import {
  checkPortsFree,
  logFileIn,
  runningPidIn,
  startAndWait,
  stopInWaves,
} from '../../stack/supervisor';
import { etcdClient } from '../common/discovery/etcd-client';
import { registerStores } from '../common/discovery/stores';
import type { DemoPlan, DemoService } from './plan';

/** Fails before anything starts when a port the demo needs is taken. */
export async function checkDemoPorts(plan: DemoPlan): Promise<void> {
  const metrics = (name: string, port: number) => ({
    port,
    owner: `${name} metrics`,
    env: 'OBSKIT_PORT_APP_METRICS',
  });
  await checkPortsFree([
    ...plan.services.flatMap((s) => [
      { port: s.port, owner: s.name, env: s.portEnv },
      metrics(s.name, s.metricsPort),
    ]),
    metrics(plan.load.service, plan.load.metricsPort),
  ]);
}

const preloaded = (packageRoot: string, ...path: string[]) => [
  '-r',
  join(packageRoot, 'instrumentation'),
  join(packageRoot, 'dist', 'demo-services', ...path),
];

/** Every process of the demo in Prometheus's file-based discovery, under its service label. */
function listMetricsTargets(plan: DemoPlan): void {
  const targets = [...plan.services, plan.load].map((s) => ({
    targets: [`127.0.0.1:${s.metricsPort}`],
    labels: { service: s.service },
  }));
  writeFileSync(plan.targetsFile, `${JSON.stringify(targets, null, 2)}\n`);
}

/** Starts every service under the preload and waits until each one listens. */
export async function startDemoServices(plan: DemoPlan, packageRoot: string): Promise<void> {
  mkdirSync(plan.dir, { recursive: true });
  writeFileSync(plan.faultsFile, `${JSON.stringify(noFaults, null, 2)}\n`);
  if (plan.etcdUrl) await registerDemoStores(plan, plan.etcdUrl);
  listMetricsTargets(plan);
  const processes = plan.services.map((service) => ({
    name: service.name,
    ready: () => tcpOk(service.port),
    launch: {
      command: process.execPath,
      args: preloaded(packageRoot, service.service, 'main.js'),
      cwd: packageRoot,
      env: service.env,
    },
  }));
  const failed = await startAndWait(plan.dir, processes, { deadlineMs: 30_000, tailLines: 1 });
  if (failed.length > 0) {
    const tails = failed.map((f) => `${f.name}: ${f.tail[0] ?? '(no log)'}`).join('; ');
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
  const names = (gateway: boolean) =>
    plan.services.filter((s) => (s.service === 'gateway') === gateway).map((s) => s.name);
  await stopInWaves(plan.dir, [names(true), names(false)], log, 15_000);
}

/** The log file of a demo service. */
export const logFileOf = (plan: DemoPlan, service: DemoService) =>
  logFileIn(plan.dir, service.name);

/** The process of a running demo service, for tests that kill one. */
export const demoServicePid = (plan: DemoPlan, name: string) =>
  plan.services.some((s) => s.name === name) ? runningPidIn(plan.dir, name) : undefined;

/** Every knob at rest; `obskit demo` writes this, the user edits it to inject faults. */
const noFaults = {
  gateway: { latencyMs: 0, errorRate: 0, outage: '' },
  'entity-service': { latencyMs: 0, errorRate: 0, outage: '' },
};
