// compose's etcd setup, run by node as the obskit image runs it, against a stand-in of etcd's
// JSON gateway (the stack's etcd is shared by other tests): it puts the stores' addresses where
// the entity service looks them up, and names what is missing or refused.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { addressOf, instanceKey } from '../../demo-services/common/discovery/keys';
import { repoPath, repoRoot, service } from './model';

const puts = new Map<string, string>();
let refuse = false;
let etcd: Server;

const unb64 = (text: string) => Buffer.from(text, 'base64').toString();

before(async () => {
  etcd = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (refuse || req.url !== '/v3/kv/put') return res.writeHead(503).end('{}');
      const { key, value } = JSON.parse(body) as { key: string; value: string };
      puts.set(unb64(key), unb64(value));
      res.end('{"header":{}}');
    });
  });
  await new Promise<void>((resolve) => etcd.listen(0, '127.0.0.1', resolve));
});
after(() => etcd.close());

function runSetup(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [repoPath('compose/obskit/etcd-setup.js')],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** compose's environment for the setup, pointed at the stand-in. */
const setupEnv = (): Record<string, string | undefined> => ({
  ...service('etcd-setup').environment,
  OBSKIT_ETCD_URL: `http://127.0.0.1:${(etcd.address() as AddressInfo).port}`,
});

test("the stores' compose addresses go under /services/, as `obskit demo` writes them", async () => {
  puts.clear();
  const env = setupEnv();
  const result = await runSetup(env);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(Object.fromEntries(puts), {
    [instanceKey('redis', 'redis:6379')]: '{"address":"redis:6379"}',
    [instanceKey('mongodb', 'mongodb:27017')]: '{"address":"mongodb:27017"}',
  });
  assert.deepEqual(
    [...puts.values()].map(addressOf),
    [env.REDIS_ADDRESS, env.MONGODB_ADDRESS],
    'the addresses are the ones compose passes',
  );
  assert.match(result.stdout, /✓ redis at redis:6379 in etcd at http:\/\/127\.0\.0\.1:\d+\n/);
});

test('a missing address is named before any request; a refusing etcd in one line', async () => {
  puts.clear();
  const { REDIS_ADDRESS: _, ...withoutRedis } = setupEnv();
  const missing = await runSetup(withoutRedis);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'etcd-setup: REDIS_ADDRESS is not set\n');
  assert.equal(puts.size, 0);
  refuse = true;
  try {
    const refused = await runSetup(setupEnv());
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^etcd-setup: etcd kv\/put answered 503: \{\}\n$/);
  } finally {
    refuse = false;
  }
});
