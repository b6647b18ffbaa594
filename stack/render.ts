// Turns a collectors/ config written for compose into the local stack's copy:
// compose host names and 0.0.0.0 become 127.0.0.1, and overridden ports are applied.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, LaunchContext } from './types';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function localize(text: string, backends: readonly Backend[]): string {
  let result = text;
  for (const backend of backends) {
    for (const p of backend.resolvedPorts) {
      const hosts = `(?:0\\.0\\.0\\.0|localhost|127\\.0\\.0\\.1|${escapeRegExp(backend.host)})`;
      result = result
        .replace(new RegExp(`\\b${hosts}:${p.defaultPort}\\b`, 'g'), `127.0.0.1:${p.port}`)
        .replace(new RegExp(`\\bport="${p.defaultPort}"`, 'g'), `port="${p.port}"`);
    }
  }
  return result.replace(/\b0\.0\.0\.0\b/g, '127.0.0.1');
}

/** Copies a config directory, localizing every file; returns the destination. */
export function renderDir(
  source: string,
  destination: string,
  backends: readonly Backend[],
): string {
  mkdirSync(destination, { recursive: true });
  for (const entry of readdirSync(source)) {
    const from = join(source, entry);
    const to = join(destination, entry);
    if (statSync(from).isDirectory()) renderDir(from, to, backends);
    else writeFileSync(to, localize(readFileSync(from, 'utf8'), backends));
  }
  return destination;
}

/** Renders one collectors/ folder into the backend's run directory; returns the copy. */
export function renderCollector(context: LaunchContext, folder: string): string {
  const source = join(context.config.packageRoot, 'collectors', folder);
  return renderDir(source, join(context.dir, 'config'), context.config.backends);
}
