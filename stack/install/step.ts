// What every installer shares: the failure it reports and the marker that makes reruns no-ops.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandResult, lastLines, type RunOptions, run } from '../exec';
import type { Backend, StackConfig } from '../types';

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

/** The folders of this package that a backend is built from: a Go main, Java plugins. */
function localSources(backend: Backend): string[] {
  const source = backend.source;
  if (source.kind === 'go-main') return [source.dir];
  if (source.kind === 'maven-zip') return source.plugins ?? [];
  return [];
}

/** A digest of every file under the folders, so that an edited source rebuilds. */
function digestOf(root: string, folders: string[]): string {
  const hash = createHash('sha256');
  for (const folder of folders) {
    const files = readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .map((name) => join(folder, name))
      .filter((file) => statSync(join(root, file)).isFile())
      .sort();
    for (const file of files) hash.update(file).update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

/** The source a backend was installed from, so a changed pin or local source reinstalls it. */
function fingerprint(config: StackConfig, backend: Backend): string {
  const folders = localSources(backend);
  if (folders.length === 0) return JSON.stringify(backend.source);
  return JSON.stringify({ ...backend.source, digest: digestOf(config.packageRoot, folders) });
}

export function hasMarker(config: StackConfig, backend: Backend): boolean {
  const path = markerPath(config, backend);
  return existsSync(path) && readFileSync(path, 'utf8') === fingerprint(config, backend);
}

export function writeMarker(config: StackConfig, backend: Backend): void {
  mkdirSync(join(config.home, 'installed'), { recursive: true });
  writeFileSync(markerPath(config, backend), fingerprint(config, backend));
}
