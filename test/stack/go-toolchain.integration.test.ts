// An old go on PATH (a wrapper that answers `env GOVERSION` as Go 1.19.8 and passes the rest to
// the real go): obskit fetches the pinned toolchain through it, then reuses it without a download.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolchainModule } from '../../stack/install/go-toolchain';
import { fetchedGo } from '../../stack/manifest';
import { runCli } from '../helpers/stack';

const realGo = '/usr/local/go/bin/go';

const wrapper = `#!/bin/sh
echo "$*" >> "$GO_WRAPPER_LOG"
if [ "$#" -eq 2 ] && [ "$1" = env ] && [ "$2" = GOVERSION ]; then echo go1.19.8; exit 0; fi
exec ${realGo} "$@"
`;

test('go 1.19 on PATH: the pinned toolchain is fetched as a module once, then reused', {
  skip: existsSync(realGo) ? false : `no real go at ${realGo} for the wrapper to pass to`,
  timeout: 600_000,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-go-'));
  try {
    writeFileSync(join(dir, 'go'), wrapper, { mode: 0o755 });
    const log = join(dir, 'invocations.log');
    const env = {
      PATH: `${dir}:${process.env.PATH}`,
      OBSKIT_HOME: join(dir, 'home'),
      GO_WRAPPER_LOG: log,
    };
    const fetched = join(dir, 'home', 'go', `go${fetchedGo}`);
    const line = `  go 1.19.8 on PATH is older than 1.26: using go${fetchedGo} fetched as a module into ${fetched}\n`;

    const first = runCli(['stack', 'go'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `${join(fetched, 'bin', 'go')}\n`);
    assert.ok(first.stderr.startsWith(line), first.stderr);
    assert.match(
      readFileSync(log, 'utf8'),
      new RegExp(`^mod download -json ${toolchainModule(fetchedGo)}$`, 'm'),
    );
    accessSync(join(fetched, 'bin', 'gofmt'), constants.X_OK);
    const version = spawnSync(join(fetched, 'bin', 'go'), ['env', 'GOVERSION'], {
      encoding: 'utf8',
    });
    assert.equal(version.stdout, `go${fetchedGo}\n`);
    // The compiler and linker under pkg/tool were made executable too: a build runs.
    assert.equal(buildHello(join(fetched, 'bin', 'go'), dir), 'hello\n');

    writeFileSync(log, '');
    const second = runCli(['stack', 'go'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stderr, line);
    // Only the version question reached the old go: nothing was downloaded again.
    assert.equal(readFileSync(log, 'utf8'), 'env GOVERSION\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function buildHello(go: string, dir: string): string {
  const source = join(dir, 'hello');
  mkdirSync(source);
  writeFileSync(join(source, 'go.mod'), 'module hello\n\ngo 1.26\n');
  writeFileSync(join(source, 'main.go'), 'package main\n\nfunc main() { println("hello") }\n');
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
  const build = spawnSync(go, ['build', '-trimpath', '-o', 'hello', '.'], {
    cwd: source,
    env,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  return spawnSync(join(source, 'hello'), { encoding: 'utf8' }).stderr;
}
