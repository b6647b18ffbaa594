// `obskit stack up | status` as a user runs them, against the running stack.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupMembers } from '../../stack/processes';
import { backendsInTopology, runCli } from '../helpers/stack';

test('stack status --json reports every backend running and healthy', () => {
  const result = runCli(['stack', 'status', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const statuses = JSON.parse(result.stdout) as {
    name: string;
    pid: number | null;
    healthy: boolean;
  }[];
  assert.deepEqual(
    statuses.map((s) => s.name),
    backendsInTopology.map((b) => b.name),
  );
  for (const status of statuses) {
    assert.equal(status.healthy, true, `${status.name} is not healthy`);
    assert.equal(typeof status.pid, 'number', `${status.name} has no pid`);
  }
});

test('Elasticsearch and the server it forks do not run as root', () => {
  const statuses = JSON.parse(runCli(['stack', 'status', '--json']).stdout) as {
    name: string;
    pid: number;
  }[];
  const launcher = statuses.find((s) => s.name === 'elasticsearch')?.pid as number;
  const group = groupMembers(launcher);
  assert.ok(group.length >= 2, 'the launcher and the server JVM');
  for (const pid of group) {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    assert.notEqual(uid, '0', `process ${pid} of Elasticsearch runs as root`);
  }
});

test('stack up again leaves running backends alone', () => {
  const result = runCli(['stack', 'up', '--only', 'redis']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^redis is already running$/m);
  assert.doesNotMatch(result.stdout, /started/);
});

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

test('a taken port stops stack up with one line naming the port and the backend', async () => {
  const { server, port } = await holdPort();
  const runDir = mkdtempSync(join(tmpdir(), 'obskit-run-'));
  try {
    const result = runCli(['stack', 'up', '--only', 'redis'], {
      OBSKIT_RUN_DIR: runDir,
      OBSKIT_PORT_REDIS: String(port),
    });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `obskit: port ${port} for redis is already in use; stop what listens there or set OBSKIT_PORT_REDIS to a free port [OBSKIT_E_PORT_TAKEN]\n`,
    );
    assert.equal(existsSync(join(runDir, 'redis', 'pid')), false, 'nothing was started');
  } finally {
    server.close();
    rmSync(runDir, { recursive: true, force: true });
  }
});
