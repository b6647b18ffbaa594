// The gateway listening on 0.0.0.0, as in a container, with DISCOVERY=etcd against the stack's
// etcd (its own port, so no other gateway's key is touched): Traefik's server key names the
// advertised host, which answers, never 0.0.0.0; the key goes when the gateway stops.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { etcdClient } from '../../demo-services/common/discovery/etcd-client';
import { gatewayRoute } from '../../demo-services/common/discovery/keys';
import { type TestEtcd, useEtcd } from '../helpers/etcd';
import { freePort } from '../helpers/ports';
import { poll, repoRoot } from '../helpers/stack';

let etcd: TestEtcd;
let gateway: ChildProcess | undefined;

const gatewayMain = join(repoRoot, 'dist/demo-services/gateway/main.js');

/** The gateway without the preload (this test reads etcd, not telemetry); its log lines kept. */
function startGateway(env: NodeJS.ProcessEnv) {
  let output = '';
  const child = spawn(process.execPath, [gatewayMain], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, DISCOVERY: 'etcd', OBSKIT_ETCD_URL: etcd.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => output };
}

/** The value of Traefik's server key for a gateway on `port`, or undefined when it is absent. */
async function serverUrl(port: number): Promise<string | undefined> {
  const [key] = Object.keys(gatewayRoute(port).instance) as [string];
  return (await etcdClient(etcd.url).list(key)).kvs.find((kv) => kv.key === key)?.value;
}

before(async () => {
  etcd = await useEtcd();
});

after(async () => {
  gateway?.kill('SIGKILL');
  await etcd?.close();
});

test('on 0.0.0.0, the gateway registers OBSKIT_ADVERTISE_HOST, which answers, and leaves at stop', async () => {
  const port = await freePort();
  const started = startGateway({
    HOST: '0.0.0.0',
    PORT: String(port),
    OBSKIT_ADVERTISE_HOST: 'localhost',
  });
  gateway = started.child;
  const url = await poll('the gateway’s server key in etcd', () => serverUrl(port), 15_000).catch(
    (error: Error) => assert.fail(`${error.message}; gateway said: ${started.output()}`),
  );
  assert.equal(url, `http://localhost:${port}`);
  assert.doesNotMatch(url, /0\.0\.0\.0/);
  // What Traefik would dial: the advertised address reaches this gateway.
  const health = await fetch(`${url}/health`);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');

  gateway.kill('SIGTERM');
  assert.equal(await started.exited, 0);
  // The lease is revoked at stop: the key is gone at once, not after its TTL.
  assert.equal(await serverUrl(port), undefined);
});

test('a host no caller can dial stops the gateway with one line, before it registers', async () => {
  const port = await freePort();
  const started = startGateway({
    HOST: '0.0.0.0',
    PORT: String(port),
    OBSKIT_ADVERTISE_HOST: '0.0.0.0',
  });
  assert.equal(await started.exited, 1);
  const errors = started
    .output()
    .split('\n')
    .filter((line) => line.includes('"log.level":"error"'));
  assert.equal(errors.length, 1, started.output());
  assert.match(errors[0] as string, /OBSKIT_ADVERTISE_HOST=\\"0\.0\.0\.0\\" is not a host name/);
  assert.equal(await serverUrl(port), undefined);
});
