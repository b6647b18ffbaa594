// `obskit stack install` after the suite's install: a no-op that says so, and a failing step
// that names the backend, the command and the fix while the other backends stay installed.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { backendsInTopology, runCli } from '../helpers/stack';

test('a second install is a no-op that says so', () => {
  const result = runCli(['stack', 'install']);
  assert.equal(result.code, 0, result.stderr);
  for (const backend of backendsInTopology) {
    assert.match(result.stdout, new RegExp(`^✓ ${backend.name} \\S+ already installed$`, 'm'));
  }
  assert.match(
    result.stdout,
    new RegExp(
      `^nothing to do: all ${backendsInTopology.length} backends already installed in \\S+$`,
      'm',
    ),
  );
});

test('a failing step names backend, command and fix, and the others stay installed', () => {
  const home = mkdtempSync(join(tmpdir(), 'obskit-home-'));
  try {
    // A real failure of the real build: the module proxy is switched off and the cache is empty.
    const result = runCli(['stack', 'install', '--only', 'redis,ferretdb'], {
      OBSKIT_HOME: home,
      GOPROXY: 'off',
      GOMODCACHE: join(home, 'gomod'),
    });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✓ redis 7\.0 already installed$/m);
    assert.match(
      result.stdout,
      /^✗ ferretdb: '\S*go build -trimpath .* -o \S+\/bin\/ferretdb \.' failed: .*GOPROXY=off/m,
    );
    assert.match(result.stdout, /^ {2}fix: check that the Go module proxy is reachable/m);
    assert.equal(
      result.stderr,
      'obskit: install failed for: ferretdb; the lines above name each command and its fix, the rest is installed [OBSKIT_E_INSTALL_FAILED]\n',
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
