// One backend, one file: each backend of the stack lives in stack/backends/<name>.ts, and no
// file of stack/ outside backends/ names it, so the common code holds no switch on backend
// names. A backend's file may name those it depends on (startsAfter, their ports): it imports none.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { backends } from '../../stack/backends';

const repoRoot = join(__dirname, '..', '..', '..');
const stackDir = join(repoRoot, 'stack');
const backendsDir = join(stackDir, 'backends');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const quoted = (name: string) => new RegExp(`['"\`]${name}['"\`]`);

test('stack/backends lists the backends', () => {
  assert.ok(backends.length > 0);
  assert.equal(new Set(backends.map((b) => b.name)).size, backends.length);
});

for (const { name } of backends) {
  test(`${name} has its file in stack/backends/`, () => {
    assert.ok(existsSync(join(backendsDir, `${name}.ts`)), `stack/backends/${name}.ts missing`);
  });

  test(`no file of stack/ outside stack/backends/ names ${name}`, () => {
    const naming = tsFiles(stackDir)
      .filter(
        (file) => !file.startsWith(backendsDir) && quoted(name).test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(repoRoot, file));
    assert.deepEqual(naming, []);
  });
}
