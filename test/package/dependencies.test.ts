// The package's own manifest against what its shipped files load: every bare module is a
// declared dependency, every relative one is shipped, and the preload loads only its own.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { packageOf, packedFiles, specifiersIn } from '../helpers/package';
import { repoRoot } from '../helpers/stack';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const shipped = packedFiles().files;
const scripts = shipped.filter((file) => /\.(c|m)?js$/.test(file));

test('every module a shipped file loads is a dependency, and every relative one is shipped', () => {
  const shippedSet = new Set(shipped);
  const undeclared: string[] = [];
  const unshipped: string[] = [];
  for (const file of scripts) {
    for (const specifier of specifiersIn(readFileSync(join(repoRoot, file), 'utf8'))) {
      const name = packageOf(specifier);
      if (name === undefined) {
        const target = normalize(join(dirname(file), specifier));
        const candidates = [target, `${target}.js`, `${target}.json`, join(target, 'index.js')];
        if (specifier.startsWith('.') && !candidates.some((c) => shippedSet.has(c)))
          unshipped.push(`${file} → ${specifier}`);
      } else if (name !== manifest.name && !(name in manifest.dependencies)) {
        undeclared.push(`${file} → ${specifier}`);
      }
    }
  }
  assert.deepEqual(undeclared, [], 'modules loaded at run time but not in dependencies');
  assert.deepEqual(unshipped, [], 'relative modules that npm pack does not ship');
});

test('a dev dependency is never loaded by a shipped file', () => {
  const loaded = new Set(
    scripts.flatMap((file) =>
      specifiersIn(readFileSync(join(repoRoot, file), 'utf8')).flatMap((s) => packageOf(s) ?? []),
    ),
  );
  const devOnly = Object.keys(manifest.devDependencies);
  assert.deepEqual(
    devOnly.filter((name) => loaded.has(name)),
    [],
  );
});

/** The packages (by name) and obskit's own folders that the preload loads before the app runs. */
function loadedByPreload(): { packages: string[]; ownFolders: string[] } {
  const script = `setImmediate(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))))`;
  const output = execFileSync(process.execPath, ['-r', './instrumentation', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, OBSKIT_METRICS_PORT: '0', OTEL_TRACES_EXPORTER: 'none' },
  });
  const files = JSON.parse(output) as string[];
  const packages = new Set<string>();
  const ownFolders = new Set<string>();
  for (const file of files) {
    const name = file.includes('/node_modules/')
      ? packageOf(file.split('/node_modules/').at(-1) ?? '')
      : undefined;
    if (name) packages.add(name);
    else if (file.startsWith(join(repoRoot, 'dist')))
      ownFolders.add(
        file
          .slice(repoRoot.length + 1)
          .split('/')
          .slice(0, 2)
          .join('/'),
      );
  }
  return { packages: [...packages].sort(), ownFolders: [...ownFolders].sort() };
}

test('the preload loads only its own modules and OpenTelemetry: its load does not grow', () => {
  const { packages, ownFolders } = loadedByPreload();
  assert.deepEqual(ownFolders, ['dist/common', 'dist/instrumentation']);
  // Exactly today's list: a package added here is a cost in every user's app at startup.
  assert.deepEqual(packages, [
    '@opentelemetry/api',
    '@opentelemetry/api-logs',
    '@opentelemetry/context-async-hooks',
    '@opentelemetry/core',
    '@opentelemetry/instrumentation',
    '@opentelemetry/instrumentation-grpc',
    '@opentelemetry/instrumentation-http',
    '@opentelemetry/instrumentation-ioredis',
    '@opentelemetry/instrumentation-mongodb',
    '@opentelemetry/instrumentation-redis',
    '@opentelemetry/instrumentation-winston',
    '@opentelemetry/redis-common',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-trace',
    '@opentelemetry/semantic-conventions',
    'debug',
    'forwarded-parse',
    'has-flag',
    'import-in-the-middle',
    'module-details-from-path',
    'ms',
    'require-in-the-middle',
    'supports-color',
  ]);
});
