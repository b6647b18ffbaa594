// Start and graceful stop of a demo service: resources close in reverse order of opening, then
// the process ends by itself, so the preload ships the last spans and log lines on the way out.

import { logger } from 'obskit/logger';
import { SettingError } from './settings';

type Close = () => unknown;

const closers: { what: string; close: Close }[] = [];
const forceExitAfterMs = 10_000;
let stopping = false;

/** Registers what to close at shutdown; the last opened is closed first. */
export function closeOnShutdown(what: string, close: Close): void {
  closers.push({ what, close });
}

export function runService(name: string, start: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => shutdown(name, `received ${signal}`));
  }
  start().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error(
      `${name} could not start: ${reason}`,
      error instanceof SettingError ? {} : { error },
    );
    process.exitCode = 1;
    shutdown(name, 'start failed');
  });
}

async function shutdown(name: string, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(`${name} stopping: ${reason}`);
  // A connection that never closes must not keep a stopped service around.
  // Written straight to stderr: process.exit() would cut a line still queued in the logger.
  setTimeout(() => {
    process.stderr.write(`${name} did not stop within ${forceExitAfterMs} ms; exiting\n`);
    process.exit(process.exitCode ?? 1);
  }, forceExitAfterMs).unref();
  for (const { what, close } of closers.reverse()) {
    try {
      await close();
    } catch (error) {
      logger.warn(`${name}: closing ${what} failed`, { error });
    }
  }
}

/** True once shutdown began: health endpoints answer "stopping". */
export const isStopping = () => stopping;
