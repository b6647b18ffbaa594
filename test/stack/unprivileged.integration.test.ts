// obskit as a user without root or sudo (nobody): install does what needs no root and ends with
// the one apt-get line for the rest; up, status and down run the backend as that user itself.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../helpers/ports';
import { repoRoot } from '../helpers/stack';

const nobody = 65534;
const systemPath = '/usr/local/bin:/usr/bin:/bin';

// Reports every package as not installed, as dpkg-query does for a package it does not know.
const notInstalled = `#!/bin/sh
for last; do :; done
echo "dpkg-query: no packages found matching $last" >&2
exit 1
`;

/** Runs the CLI as nobody with only the variables given (HOME included), as that user would. */
function asNobody(args: string[], env: Record<string, string>) {
  const vars = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  const cli = [process.execPath, join(repoRoot, 'dist', 'cli', 'main.js'), ...args];
  const result = spawnSync('runuser', ['-u', 'nobody', '--', 'env', '-i', ...vars, ...cli], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder owned by nobody, with a home and a bin folder in it. */
function nobodysDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-nobody-'));
  for (const sub of ['home', 'bin']) mkdirSync(join(dir, sub));
  for (const path of [dir, join(dir, 'home'), join(dir, 'bin')]) chownSync(path, nobody, nobody);
  return dir;
}

const notRoot = process.getuid?.() !== 0 && 'runuser needs root: run the suite as root';

test('without root or sudo, install names the one apt-get command for the missing packages', {
  skip: notRoot,
}, () => {
  const dir = nobodysDir();
  try {
    writeFileSync(join(dir, 'bin', 'dpkg-query'), notInstalled, { mode: 0o755 });
    const home = join(dir, 'home');
    const env = { HOME: home, PATH: `${join(dir, 'bin')}:${systemPath}` };
    const result = asNobody(['stack', 'install', '--only', 'redis,etcd'], env);
    assert.equal(result.code, 1, result.stdout);
    assert.equal(
      result.stderr,
      "obskit: not root and no passwordless sudo for apt-get: run 'sudo apt-get install -y redis-server etcd-server', then run obskit again; the rest is installed [OBSKIT_E_NEEDS_ROOT]\n",
    );
    assert.match(result.stdout, /^✗ redis: needs root to install redis-server: not root/m);
    assert.match(result.stdout, /^✗ etcd: needs root to install etcd-server: not root/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('as nobody, up starts redis as nobody itself; status answers, down stops it', {
  skip: notRoot,
}, async () => {
  const dir = nobodysDir();
  const env = {
    HOME: join(dir, 'home'),
    PATH: systemPath,
    OBSKIT_PORT_REDIS: String(await freePort()),
    OBSKIT_RUN_DIR: join(dir, 'run'),
  };
  try {
    const up = asNobody(['stack', 'up', '--only', 'redis'], env);
    assert.equal(up.code, 0, up.stderr);
    const pid = Number(
      new RegExp(`^redis +\\S+ +${env.OBSKIT_PORT_REDIS} +(\\d+) +yes`, 'm').exec(up.stdout)?.[1],
    );
    assert.ok(pid > 0, up.stdout);
    assert.match(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
      new RegExp(`^Uid:\\s+${nobody}\\s`, 'm'),
    );
    const status = asNobody(['stack', 'status', '--only', 'redis'], env);
    assert.equal(status.code, 0, status.stdout);
  } finally {
    const down = asNobody(['stack', 'down', '--only', 'redis'], env);
    rmSync(dir, { recursive: true, force: true });
    assert.match(down.stdout, /^stopped redis \(pid \d+\)$/m, down.stderr);
  }
});
