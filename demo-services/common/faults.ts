// Fault injection, for seeing alerts and dashboards react: added latency, an error rate and a
// dependency outage. FAULT_* variables set them at start; FAULTS_FILE, when set, changes them
// live (`obskit demo` writes one; edit it and the services pick it up within a second).

import { readFileSync, statSync } from 'node:fs';
import { logger } from 'obskit/logger';
import { fraction, integer, SettingError, text } from './settings';

export interface Faults {
  /** Added to every request or call. */
  latencyMs: number;
  /** The share of requests or calls failed on purpose, 0 to 1. */
  errorRate: number;
  /** A dependency treated as unreachable, or '' for none. */
  outage: string;
}

export interface FaultInjector {
  current(): Faults;
  /** Waits the added latency, if any. */
  delay(): Promise<void> | undefined;
  shouldFail(): boolean;
  isDown(dependency: string): boolean;
}

function checkOutage(outage: string, dependencies: readonly string[], where: string): string {
  if (outage === '' || dependencies.includes(outage)) return outage;
  throw new SettingError(`${where} outage '${outage}' is not one of: ${dependencies.join(', ')}`);
}

function faultsFromEnv(dependencies: readonly string[]): Faults {
  return {
    latencyMs: integer('FAULT_LATENCY_MS', 0, 0, 60_000),
    errorRate: fraction('FAULT_ERROR_RATE', 0),
    outage: checkOutage(text('FAULT_OUTAGE', ''), dependencies, 'FAULT_OUTAGE'),
  };
}

/** This service's entry of the faults file over the start values; throws on a bad entry. */
function faultsFromFile(
  file: string,
  service: string,
  dependencies: readonly string[],
  start: Faults,
): Faults {
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Partial<Faults>>;
  const entry = { ...start, ...all[service] };
  const where = `${file} (${service})`;
  if (!Number.isInteger(entry.latencyMs) || entry.latencyMs < 0 || entry.latencyMs > 60_000)
    throw new SettingError(`${where} latencyMs must be an integer from 0 to 60000`);
  if (typeof entry.errorRate !== 'number' || entry.errorRate < 0 || entry.errorRate > 1)
    throw new SettingError(`${where} errorRate must be a number from 0 to 1`);
  return { ...entry, outage: checkOutage(String(entry.outage), dependencies, where) };
}

/** The file's identity, size and mtime: a change of any means an edit. */
function stampOf(file: string): string {
  try {
    const { ino, size, mtimeMs } = statSync(file);
    return `${ino}:${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Calls onEdit now and after every edit, checking each second. Not fs.watchFile: libuv takes its
 * first stat after the call returns, so an edit made in between becomes the baseline and is lost.
 */
function watchEdits(file: string, onEdit: () => void): void {
  let seen = '';
  const check = () => {
    const stamp = stampOf(file);
    if (stamp === seen) return;
    seen = stamp;
    onEdit();
  };
  check();
  setInterval(check, 1000).unref();
}

export function faultInjector(service: string, dependencies: readonly string[]): FaultInjector {
  const start = faultsFromEnv(dependencies);
  let current = start;
  const file = text('FAULTS_FILE', '');
  const reload = () => {
    try {
      const next = faultsFromFile(file, service, dependencies, start);
      if (JSON.stringify(next) !== JSON.stringify(current))
        logger.warn('faults set', { faults: next });
      current = next;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      logger.warn(`faults file ignored: ${(error as Error).message}`);
    }
  };
  if (file) watchEdits(file, reload);
  return {
    current: () => current,
    delay: () =>
      current.latencyMs > 0 ? new Promise((r) => setTimeout(r, current.latencyMs)) : undefined,
    shouldFail: () => current.errorRate > 0 && Math.random() < current.errorRate,
    isDown: (dependency) => current.outage === dependency,
  };
}
