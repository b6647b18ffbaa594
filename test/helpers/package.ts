// The npm package as users receive it: the files `npm pack` ships and the modules they load.

import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { repoRoot } from './stack';

export interface PackedPackage {
  /** The tarball's file name (npm pack's `filename`). */
  filename: string;
  /** Bytes of the tarball, and of its files unpacked. */
  size: number;
  unpackedSize: number;
  files: string[];
}

const pack = (args: string[]): PackedPackage => {
  const output = execFileSync('npm', ['pack', '--json', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [packed] = JSON.parse(output) as [{ files: { path: string }[] } & PackedPackage];
  return { ...packed, files: packed.files.map((f) => f.path) };
};

/** What `npm pack` would ship, without writing the tarball. */
export const packedFiles = () => pack(['--dry-run']);

/** Packs the checkout into `destination` and returns what it wrote. */
export const packInto = (destination: string) => pack(['--pack-destination', destination]);

const moduleCall = /\b(?:require|import)\(\s*(['"`])([^'"`$]+)\1\s*\)/g;
const staticImport = /^\s*(?:import|export)\s[^'"]*?from\s*(['"])([^'"]+)\1/gm;

/** Every module specifier a JavaScript file loads: require(), import() and static imports. */
export function specifiersIn(source: string): string[] {
  const found = [...source.matchAll(moduleCall), ...source.matchAll(staticImport)];
  return found.map((match) => match[2] as string);
}

const builtins = new Set(builtinModules);

/** The npm package a bare specifier names (`@scope/name/sub` → `@scope/name`), else undefined. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  if (specifier.startsWith('node:') || builtins.has(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
