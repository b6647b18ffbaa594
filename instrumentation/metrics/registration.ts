// While the app serves /metrics, it lists itself in the local stack's Prometheus file_sd folder
// (job obskit-apps), so a user's own app is scraped without editing a config. The entry goes at
// a normal exit; after a SIGKILL it stays, so TargetDown fires, until the next start prunes it.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  appRegistrationFile,
  pidFileIn,
  processExists,
  pruneDeadRegistrations,
} from '../../common/stack-paths';
import type { ObskitConfig } from '../config';
import { atLastFlush } from '../shutdown';
import { warn } from '../warn';

/** Whether `obskit stack up` started a Prometheus that still runs. */
function localPrometheusRuns(runDir: string): boolean {
  try {
    const { pid } = JSON.parse(readFileSync(pidFileIn(runDir, 'prometheus'), 'utf8'));
    return Number.isInteger(pid) && processExists(pid);
  } catch {
    return false;
  }
}

/** Where Prometheus reaches the listening /metrics: a wildcard address is reached on loopback. */
function scrapeAddress({ address, port }: AddressInfo): string {
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Registers the app once /metrics listens; does nothing when no local stack runs. */
export function registerWithLocalStack(config: ObskitConfig, address: AddressInfo): void {
  const runDir = config.metricsRegistration.runDir;
  if (!config.metricsRegistration.enabled || !localPrometheusRuns(runDir)) return;
  try {
    pruneDeadRegistrations(runDir);
    const file = appRegistrationFile(runDir, process.pid);
    const entry = [{ targets: [scrapeAddress(address)], labels: { service: config.serviceName } }];
    // Written aside and renamed, so that Prometheus never reads half a file.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(entry)}\n`);
    renameSync(`${file}.tmp`, file);
    atLastFlush(() => rmSync(file, { force: true }));
  } catch (error) {
    if (config.diagnostics)
      warn(`not registered with the local stack's Prometheus: ${(error as Error).message}`);
  }
}
