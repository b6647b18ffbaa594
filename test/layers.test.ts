// The layers, held against the compiled imports: no file circle, and each folder imports only
// what its row in CONTRIBUTING.md's "Layers" allows (the rules are written there once, read
// here). It reads dist/ (not dist/test): require() and import() of relative paths as tsc emits
// them. Type-only imports vanish in compiled JS, which is right: they run nothing at load.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../common/package-root';

const root = packageRoot();
const dist = join(root, 'dist');

/** Every compiled file of the package, its tests left out. */
function compiledFiles(dir = dist): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(dist, 'test') ? [] : compiledFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

const relativeImport = /\b(?:require|import)\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g;

/** The file a relative specifier loads, as Node resolves it; undefined when none exists. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.js`, join(base, 'index.js')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

/** File → the compiled files it loads (JSON such as package.json is data, not a layer). */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(file, 'utf8').matchAll(relativeImport)].map((match) => {
      const target = resolveImport(file, match[1] as string);
      assert.ok(target, `${shown(file)} loads ${match[1]}, which is not there`);
      return target;
    });
    graph.set(
      file,
      targets.filter((t) => t.endsWith('.js')),
    );
  }
  return graph;
}

/** The strongly connected groups of more than one file, or of one that loads itself (Tarjan). */
function circlesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) visit(next);
      if (stack.includes(next))
        low.set(file, Math.min(low.get(file) as number, low.get(next) ?? Infinity));
    }
    if (low.get(file) !== index.get(file)) return;
    const group = stack.splice(stack.indexOf(file));
    if (group.length > 1 || graph.get(file)?.includes(file)) circles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

/** Folder → the folders it may import, from the table of CONTRIBUTING.md's "## Layers". */
function layerRules(): Map<string, string[]> {
  const text = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
  const start = text.indexOf('\n## Layers\n');
  assert.ok(start >= 0, 'CONTRIBUTING.md has a "## Layers" section');
  const section = text.slice(start + 1).split(/\n## /)[0] as string;
  const rows = [...section.matchAll(/^\| `([a-z-]+)\/` \| ([^|]*) \|/gm)];
  return new Map(
    rows.map((row) => [
      row[1] as string,
      [...(row[2] as string).matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1] as string),
    ]),
  );
}

const shown = (file: string) => relative(dist, file);
const folderOf = (file: string) => shown(file).split(sep)[0] as string;
const graph = importGraph(compiledFiles());

test('the layering check finds a circle and leaves a chain alone', () => {
  const loop = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  assert.deepEqual(circlesOf(loop), [['a', 'b', 'c']]);
  assert.deepEqual(
    circlesOf(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    [],
  );
});

test('no compiled file is part of an import circle', () => {
  const circles = circlesOf(graph).map((g) => `${g.length} files: ${g.map(shown).join(', ')}`);
  assert.deepEqual(circles, [], `import circles:\n${circles.join('\n')}`);
});

test("CONTRIBUTING.md's Layers give a rule to every compiled folder", () => {
  const rules = layerRules();
  const folders = [...new Set([...graph.keys()].map(folderOf))].sort();
  assert.deepEqual(
    folders.filter((folder) => !rules.has(folder)),
    [],
    'each folder of dist/ needs its row in the Layers table',
  );
});

test("every folder imports only itself and what its row in CONTRIBUTING.md's Layers allows", () => {
  const rules = layerRules();
  const broken = [...graph].flatMap(([file, targets]) => {
    const from = folderOf(file);
    const allowed = rules.get(from) ?? [];
    return targets
      .filter((target) => folderOf(target) !== from && !allowed.includes(folderOf(target)))
      .map(
        (target) =>
          `${shown(file)} imports ${shown(target)}: ${from}/ may import only ${allowed.map((f) => `${f}/`).join(', ') || 'itself'}`,
      );
  });
  assert.deepEqual(
    broken,
    [],
    `imports against the Layers of CONTRIBUTING.md:\n${broken.join('\n')}`,
  );
});
