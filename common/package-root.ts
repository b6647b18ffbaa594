// The repository (or installed package) that holds collectors/, dashboards/ and stack/: found
// from this file's place, so that no command reads the stack's variables to find it.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function isObskitPackage(dir: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name ===
      'obskit'
    );
  } catch {
    return false;
  }
}

/** The nearest folder above this file whose package.json is obskit's; compiled or not. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (isObskitPackage(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of obskit above ${__dirname}`);
  }
}
