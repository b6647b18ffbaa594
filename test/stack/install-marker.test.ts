// The install marker: a backend built from this package's own sources is rebuilt when they change.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasMarker, writeMarker } from '../../stack/install/step';
import { localStackConfig } from '../../stack/local-stack';
import type { Backend } from '../../stack/types';

test('a Go main built from a folder of the package is installed again once a file in it changes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-marker-'));
  try {
    const config = {
      ...localStackConfig({ OBSKIT_HOME: join(dir, 'home') }),
      packageRoot: join(dir, 'package'),
    };
    const backend = {
      name: 'tool',
      version: '1.0.0',
      source: { kind: 'go-main', dir: 'stack/tool', binary: 'tool' },
    } as unknown as Backend;
    mkdirSync(join(config.packageRoot, 'stack', 'tool', 'sub'), { recursive: true });
    writeFileSync(join(config.packageRoot, 'stack', 'tool', 'main.go'), 'package main\n');

    assert.equal(hasMarker(config, backend), false);
    writeMarker(config, backend);
    assert.equal(hasMarker(config, backend), true);

    writeFileSync(join(config.packageRoot, 'stack', 'tool', 'main.go'), 'package main // edited\n');
    assert.equal(hasMarker(config, backend), false);
    writeMarker(config, backend);
    assert.equal(hasMarker(config, backend), true);

    writeFileSync(join(config.packageRoot, 'stack', 'tool', 'sub', 'extra.go'), 'package sub\n');
    assert.equal(hasMarker(config, backend), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
