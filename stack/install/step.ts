// What every installer shares: the failure it reports and the marker that makes reruns no-ops.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, StackConfig } from '../config';
import { type CommandResult, lastLines, type RunOptions, run } from '../exec';

/** A failed install step: the backend, the command that failed, and how to fix it. */
export class StepFailure extends Error {
  constructor(
    readonly command: string,
    readonly fix: string,
    detail: string,
  ) {
    super(detail);
  }
}

export type Log = (line: string) => void;

/** Runs a command and turns a non-zero exit into a StepFailure naming the command and the fix. */
export async function runStep(
  command: string,
  args: string[],
  fix: string,
  options: RunOptions = {},
): Promise<CommandResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new StepFailure([command, ...args].join(' '), fix, lastLines(result.output));
  }
  return result;
}

const markerPath = (config: StackConfig, backend: Backend) =>
  join(config.home, 'installed', `${backend.name}.json`);

/** The source a backend was installed from, so a changed pin reinstalls it. */
const fingerprint = (backend: Backend) => JSON.stringify(backend.source);

export function hasMarker(config: StackConfig, backend: Backend): boolean {
  const path = markerPath(config, backend);
  return existsSync(path) && readFileSync(path, 'utf8') === fingerprint(backend);
}

export function writeMarker(config: StackConfig, backend: Backend): void {
  mkdirSync(join(config.home, 'installed'), { recursive: true });
  writeFileSync(markerPath(config, backend), fingerprint(backend));
}
