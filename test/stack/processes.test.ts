// Pid-file tracking with real child processes.

import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  isAlive,
  logTail,
  notReady,
  runningPid,
  startProcess,
  stopProcess,
} from '../../stack/processes';
import { poll } from '../helpers/stack';

test('a started process is tracked, and stopping it ends its whole process group', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-proc-'));
  const childPidFile = join(dir, 'child.pid');
  try {
    const pid = startProcess({
      command: 'sh',
      args: ['-c', `sleep 300 & echo $! > ${childPidFile}; wait`],
      cwd: dir,
      logFile: join(dir, 'out.log'),
      pidFile: join(dir, 'pid'),
    });
    assert.equal(runningPid(join(dir, 'pid')), pid);
    // The shell creates the file before it writes the pid into it: wait for the number.
    const childPid = () =>
      existsSync(childPidFile) ? Number(readFileSync(childPidFile, 'utf8')) : 0;
    const deadline = Date.now() + 5000;
    while (!(childPid() > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const child = childPid();
    assert.ok(isAlive(child));

    assert.equal(await stopProcess(join(dir, 'pid')), pid);
    assert.equal(isAlive(pid), false);
    assert.equal(isAlive(child), false);
    assert.equal(existsSync(join(dir, 'pid')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pid file whose process was replaced by another is not trusted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-proc-'));
  try {
    // This very process, with a start time that is not its own: as after a pid was recycled.
    writeFileSync(join(dir, 'pid'), JSON.stringify({ pid: process.pid, startTime: '1' }));
    assert.equal(runningPid(join(dir, 'pid')), undefined);
    assert.equal(await stopProcess(join(dir, 'pid')), undefined);
    assert.ok(isAlive(process.pid));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The 60 s deadline is far beyond the test's timeout: a process that died must be reported at
// once, and one that got ready must not be waited on.
test('waiting for started processes: the one that died is reported with its log, at once', {
  timeout: 20_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-proc-'));
  const start = (name: string, script: string) => {
    startProcess({
      command: 'sh',
      args: ['-c', script],
      cwd: dir,
      logFile: join(dir, `${name}.log`),
      pidFile: join(dir, `${name}.pid`),
    });
    return name;
  };
  try {
    const started = [
      start('ready', `sleep 0.3; touch ${join(dir, 'ready.up')}; sleep 300`),
      start('dies', 'echo starting; echo "port 9 is taken"; exit 3'),
    ];
    const isUp = async (name: string) => existsSync(join(dir, `${name}.up`));
    const failed = await notReady(started, isUp, (name) => join(dir, `${name}.pid`), 60_000);
    assert.deepEqual(failed, ['dies']);
    assert.deepEqual(logTail(join(dir, 'dies.log'), 1), ['port 9 is taken']);
    assert.deepEqual(logTail(join(dir, 'dies.log'), 5), ['starting', 'port 9 is taken']);
    assert.deepEqual(logTail(join(dir, 'none.log'), 5), []);
    await stopProcess(join(dir, 'ready.pid'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a log past 10 MiB is set aside as <file>.1 at the next start; a smaller one is appended to', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-proc-'));
  const run = (name: string, line: string) =>
    startProcess({
      command: 'sh',
      args: ['-c', `echo ${line}`],
      cwd: dir,
      logFile: join(dir, `${name}.log`),
      pidFile: join(dir, `${name}.pid`),
    });
  const logged = (file: string, line: string) =>
    poll(`${line} in ${file}`, async () => {
      const text = readFileSync(file, 'utf8');
      return text.includes(line) ? text : undefined;
    });
  try {
    writeFileSync(join(dir, 'big.log'), 'earlier run\n');
    truncateSync(join(dir, 'big.log'), 10 * 1024 * 1024 + 1);
    writeFileSync(join(dir, 'small.log'), 'earlier run\n');
    run('big', 'this run');
    run('small', 'this run');
    assert.equal(await logged(join(dir, 'big.log'), 'this run'), 'this run\n');
    assert.equal(statSync(join(dir, 'big.log.1')).size, 10 * 1024 * 1024 + 1);
    assert.equal(await logged(join(dir, 'small.log'), 'this run'), 'earlier run\nthis run\n');
    assert.equal(existsSync(join(dir, 'small.log.1')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
