// Runs after every other integration test: `obskit stack down` leaves no backend process behind.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupMembers, runningPid } from '../../stack/processes';
import { backendsInTopology, runCli, stack } from '../helpers/stack';

const pidFileOf = (name: string) => join(stack.runDir, name, 'pid');

const membersOf = (groups: Set<number>) => [...groups].flatMap((pgid) => groupMembers(pgid));

test('stack down stops every backend and every process they started', () => {
  const pids = new Map(backendsInTopology.map((b) => [b.name, runningPid(pidFileOf(b.name))]));
  for (const [name, pid] of pids)
    assert.equal(typeof pid, 'number', `${name} was not running before down`);
  const groups = new Set([...pids.values()] as number[]);
  assert.ok(membersOf(groups).length >= groups.size);

  const result = runCli(['stack', 'down']);
  assert.equal(result.code, 0, result.stderr);
  for (const name of pids.keys())
    assert.match(result.stdout, new RegExp(`^stopped ${name} \\(pid \\d+\\)$`, 'm'));
  assert.deepEqual(membersOf(groups), []);

  const status = runCli(['stack', 'status', '--json']);
  assert.equal(status.code, 1);
  for (const backend of JSON.parse(status.stdout) as { pid: number | null; healthy: boolean }[]) {
    assert.deepEqual([backend.pid, backend.healthy], [null, false]);
  }
});
