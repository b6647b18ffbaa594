// The instrumented app's own package.json: the default service name and version.

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AppPackage {
  name?: string;
  version?: string;
}

/** The nearest package.json with a name, from the main script's folder upwards. */
export function findAppPackage(mainScript: string | undefined, cwd = process.cwd()): AppPackage {
  let dir = startDir(mainScript, cwd);
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const parsed = readJson(file);
      if (typeof parsed?.name === 'string' && parsed.name !== '') {
        return {
          name: parsed.name,
          version: typeof parsed.version === 'string' ? parsed.version : undefined,
        };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function startDir(mainScript: string | undefined, cwd: string): string {
  if (!mainScript) return cwd;
  try {
    return dirname(realpathSync(mainScript));
  } catch {
    return cwd;
  }
}

function readJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
