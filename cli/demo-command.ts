// `obskit demo`: the local stack, the demo services and a steady load under the preload, until
// Ctrl-C; then it stops what this run started — the services, the load, and only the backends
// that were not already running.

import type { ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { basename } from 'node:path';
import { obskitError } from '../common/errors';
import { logsIndexPattern } from '../common/index-names';
import { type NumberRange, numberIn, rangeText } from '../common/numbers';
import { type DemoPlan, demoPlan } from '../demo-services/launch/plan';
import { findSampleTraces } from '../demo-services/launch/samples';
import {
  checkDemoPorts,
  startDemoServices,
  startLoadGenerator,
  stopDemoServices,
} from '../demo-services/launch/services';
import { installStack } from '../stack/install';
import { runningBackends, stackDown, stackUp } from '../stack/lifecycle';
import { localStackConfig } from '../stack/local-stack';
import { backendPortOf } from '../stack/ports';
import type { StackConfig } from '../stack/types';

const log = (line: string) => process.stdout.write(`${line}\n`);

export interface DemoOptions {
  rate?: string;
  duration?: string;
  replicas?: string;
}

function numberOption(name: string, raw: string | undefined, fallback: number, range: NumberRange) {
  if (raw === undefined) return fallback;
  const value = numberIn(raw, range);
  if (value === undefined)
    throw obskitError('OBSKIT_E_USAGE', `--${name} ${raw} is not ${rangeText(range)}`);
  return value;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const rate = numberOption('rate', options.rate, 20, { min: 0.1, max: 2000 });
  const duration = numberOption('duration', options.duration, 0, { min: 0, max: 86_400 });
  const replicas = Math.floor(numberOption('replicas', options.replicas, 2, { min: 1, max: 8 }));
  const config = localStackConfig();
  const plan = demoPlan(config, replicas);
  await checkDemoPorts(plan);
  await installStack(config, config.backends, log);
  const alreadyRunning = runningBackends(config);
  const startedBackends = config.backends.filter((b) => !alreadyRunning.includes(b));
  const stop = waitForStopSignal();
  let load: ChildProcess | undefined;
  try {
    await stackUp(config, config.backends, 180_000, log);
    if (stop.requested()) return 0;
    await startDemoServices(plan, config.packageRoot);
    log(`started ${plan.services.map((s) => s.name).join(', ')}`);
    if (stop.requested()) return 0;
    const loadStarted = Date.now();
    load = startLoadGenerator(plan, config.packageRoot, rate, duration);
    announceLoadEnd(load, plan, stop.requested);
    log(describeDemo(config, plan));
    const queryUrl = `http://127.0.0.1:${backendPortOf(config, 'jaeger', 'query')}`;
    // On a terminal, clear the load's progress line first; it is redrawn at its next tick.
    const clearLine = process.stdout.isTTY ? '\r\x1b[K' : '';
    findSampleTraces(queryUrl, loadStarted, 60_000).then((found) => {
      if (!stop.requested()) log(clearLine + describeSamples(found, queryUrl));
    });
    await stop.signalled;
  } finally {
    stop.request();
    log('\nstopping…');
    await stopLoad(load);
    await stopDemoServices(plan, log);
    await stackDown(config, startedBackends, log);
  }
  return 0;
}

/** Says once that the load is over: its summary is written (it holds on), or it exited. */
function announceLoadEnd(load: ChildProcess, plan: DemoPlan, stopping: () => boolean): void {
  let said = false;
  const say = () => {
    if (said) return;
    said = true;
    summary.close();
    if (!stopping()) log('the load has ended; the services and the stack stay up until Ctrl-C');
  };
  const summary = watch(plan.dir, { persistent: false }, (_event, file) => {
    if (file === basename(plan.loadSummaryFile)) say();
  });
  load.once('exit', say);
}

/** Ends the load (Ctrl-C already reached it on a terminal) and waits for its summary. */
async function stopLoad(load: ChildProcess | undefined): Promise<void> {
  if (!load || load.exitCode !== null || load.signalCode !== null) return;
  const exited = new Promise((resolve) => load.once('exit', resolve));
  load.kill('SIGTERM');
  const timer = setTimeout(() => load.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function describeDemo(config: StackConfig, plan: DemoPlan): string {
  const url = (backend: string, portName?: string) =>
    `http://127.0.0.1:${backendPortOf(config, backend, portName)}`;
  const replicas = plan.services.filter((s) => s.service === 'entity-service');
  return [
    '',
    ...(plan.edgeUrl === plan.gatewayUrl
      ? []
      : [`edge (Traefik)  ${plan.edgeUrl}/entities   (the load goes here; routes read from etcd)`]),
    `gateway         ${plan.gatewayUrl}/entities   (health: ${plan.gatewayUrl}/health)`,
    `entity-service  ${replicas.map((s) => `127.0.0.1:${s.port}`).join(', ')}   (gRPC, round_robin${plan.etcdUrl ? `, found in etcd at ${plan.etcdUrl}` : ''})`,
    `Jaeger API      ${url('jaeger', 'query')}/api/traces?service=gateway`,
    `Prometheus      ${url('prometheus')}/graph   (targets: ${url('prometheus')}/targets)`,
    `Alertmanager    ${url('alertmanager')}/api/v2/alerts`,
    `Elasticsearch   ${url('elasticsearch')}/${logsIndexPattern}/_search?q=service.name:gateway`,
    `faults          edit ${plan.faultsFile} (latencyMs, errorRate, outage)`,
    `service logs    ${plan.dir}/<service>/<service>.log`,
    '',
    'Ctrl-C stops the load, the services and the backends this demo started.',
    '',
  ].join('\n');
}

function describeSamples(found: { label: string; traceId: string }[], queryUrl: string): string {
  if (found.length === 0)
    return `\nno sample traces in Jaeger yet; search ${queryUrl}/api/traces?service=gateway`;
  const lines = found.map(
    (s) =>
      `  ${s.label.padEnd(16)}  ${s.traceId}   obskit trace ${s.traceId}   (or curl ${queryUrl}/api/traces/${s.traceId})`,
  );
  return ['', 'sample traces:', ...lines, ''].join('\n');
}

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The first Ctrl-C, kill or closed terminal asks the demo to stop. Later signals only say that
 * stopping is under way: dying then would leave the services running.
 */
function waitForStopSignal() {
  // Signal listeners alone do not keep node running; this timer does until the signal comes.
  const keepAlive = setInterval(() => {}, 60_000);
  let stopping = false;
  let resolveSignalled = () => {};
  const signalled = new Promise<void>((resolve) => {
    resolveSignalled = resolve;
  });
  const request = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    resolveSignalled();
  };
  for (const signal of stopSignals) {
    process.on(signal, () => {
      if (stopping) log('still stopping what this demo started…');
      request();
    });
  }
  return { signalled, request, requested: () => stopping };
}
