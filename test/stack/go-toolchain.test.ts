// Which go the Go builds use: the one on PATH when new enough, else the pinned toolchain module.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareVersions,
  decideGo,
  parseGoVersion,
  toolchainModule,
} from '../../stack/install/go-toolchain';
import { StepFailure } from '../../stack/install/step';
import { fetchedGo, minimumGo } from '../../stack/manifest';

test('versions compare by number, a missing part counting as zero', () => {
  assert.ok(compareVersions('1.19.8', '1.26') < 0);
  assert.ok(compareVersions('1.26.8', '1.26') > 0);
  assert.equal(compareVersions('1.26', '1.26.0'), 0);
  assert.ok(compareVersions('1.100', '1.26') > 0);
  assert.ok(compareVersions('2.0', '1.26.8') > 0);
});

test('the version is read from go env GOVERSION or from go version', () => {
  assert.equal(parseGoVersion('go1.19.8\n'), '1.19.8');
  assert.equal(parseGoVersion('go1.26rc1'), '1.26');
  assert.equal(parseGoVersion('go version go1.15.15 linux/amd64'), '1.15.15');
  assert.equal(parseGoVersion('\n'), undefined);
});

test('the go on PATH is used when new enough, else the cached or a fetched toolchain', () => {
  assert.equal(decideGo(minimumGo, false), 'path');
  assert.equal(decideGo('1.26.8', true), 'path');
  assert.equal(decideGo('1.27.1', false), 'path');
  assert.equal(decideGo('1.19.8', false), 'fetch');
  assert.equal(decideGo('1.25.9', true), 'cached');
  assert.equal(decideGo(undefined, true), 'cached');
  assert.equal(decideGo(undefined, false), 'install-and-fetch');
});

test('the pinned toolchain is new enough, and its module is named as the go command names it', () => {
  assert.ok(compareVersions(fetchedGo, minimumGo) >= 0);
  assert.equal(
    toolchainModule('1.26.8', 'x64'),
    'golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64',
  );
  assert.equal(
    toolchainModule('1.26.8', 'arm64'),
    'golang.org/toolchain@v0.0.1-go1.26.8.linux-arm64',
  );
  assert.throws(() => toolchainModule('1.26.8', 'riscv64'), StepFailure);
});
