// The sizes CONTRIBUTING.md asks for, held against the sources (tests aside): a file of at most
// 250 lines, a function of at most 60, as TypeScript's own parser reads them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { packageRoot } from '../common/package-root';

const root = packageRoot();
const maxFileLines = 250;
const maxFunctionLines = 60;
const sourceFolders = [
  'bench',
  'cli',
  'clients',
  'collectors',
  'common',
  'compose',
  'dashboards',
  'demo-services',
  'instrumentation',
  'stack',
];
const source = /\.(ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return source.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every function of the file longer than the limit, as `file:line name (n lines)`. */
function longFunctions(file: string, text: string): string[] {
  const parsed = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => parsed.getLineAndCharacterOfPosition(position).line + 1;
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(node.getStart(parsed));
      const lines = lineOf(node.end) - start + 1;
      const name = node.name?.getText(parsed) ?? '(anonymous)';
      if (lines > maxFunctionLines)
        found.push(`${relative(root, file)}:${start} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed);
  return found;
}

const files = sourceFolders.flatMap((folder) => sourceFiles(join(root, folder)));

test(`no source file is longer than ${maxFileLines} lines`, () => {
  const long = files
    .map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > maxFileLines)
    .map(({ file, lines }) => `${relative(root, file)} (${lines} lines)`);
  assert.deepEqual(long, []);
});

test(`no function is longer than ${maxFunctionLines} lines`, () => {
  assert.ok(files.length > 100, `only ${files.length} source files found under ${root}`);
  assert.deepEqual(
    files.flatMap((file) => longFunctions(file, readFileSync(file, 'utf8'))),
    [],
  );
});
