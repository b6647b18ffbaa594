// Files generated from a source of truth and committed (SLO rules, dashboards): written whole,
// and checked against what the source gives now.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Written whole, then moved into place: a failure never leaves half a file. */
export function writeGenerated(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

/** Whether the committed file is exactly what the source gives; a missing file is stale. */
export function isCurrent(file: string, content: string): boolean {
  try {
    return readFileSync(file, 'utf8') === content;
  } catch {
    return false;
  }
}

/** A path as the user should read it: relative to where they ran obskit. */
export const shownPath = (file: string) => relative(process.cwd(), file) || file;
