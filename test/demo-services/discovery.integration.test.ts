// Discovery through a real etcd: the demo's gateway and entity-service replicas with
// DISCOVERY=etcd, on ports of their own. Load reaches every registered replica; a replica killed
// without a word leaves within its lease; one started later takes load without a gateway
// restart; etcd away for 30 s breaks nothing, and registration and watching resume after.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { searchTraces, serviceOf } from '../../clients/jaeger';
import { etcdClient } from '../../demo-services/common/discovery/etcd-client';
import { instanceKey, servicePrefix } from '../../demo-services/common/discovery/keys';
import { leaseTtlSeconds } from '../../demo-services/common/discovery/registration';
import { type DemoPlan, type DemoService, demoPlan } from '../../demo-services/launch/plan';
import {
  checkDemoPorts,
  demoServicePid,
  startDemoServices,
  stopDemoServices,
} from '../../demo-services/launch/services';
import { localStackConfig } from '../../stack/local-stack';
import { type TestEtcd, useEtcd } from '../helpers/etcd';
import { poll, repoRoot, urlOf } from '../helpers/stack';

// Away from the demo's 8080/50051/9464 and the benchmark's 18080/18051/19464.
const ports = { gateway: 28080, entity: 28051, metrics: 29464 };
const runDir = mkdtempSync(join(tmpdir(), 'obskit-discovery-'));

/** When this file began, in ms. */
const startedAt = Date.now();
let etcd: TestEtcd;
let plan: DemoPlan;
let fourth: ChildProcess | undefined;
/** A read the cache answers: fast, so the load is dense. */
let readUrl = '';
const fourthPort = ports.entity + 3;
const fourthMetricsPort = ports.metrics + 5;

const replicas = () => plan.services.filter((s) => s.service === 'entity-service');
const gatewayOf = () => plan.services.find((s) => s.service === 'gateway') as DemoService;

/** The sum of a metric's samples whose line contains `filter`, from a /metrics endpoint. */
async function metricSum(port: number, name: string, filter = ''): Promise<number> {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return body
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(filter))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Entity-service calls a replica served, health checks left out. */
const callsServed = (metricsPort: number) =>
  metricSum(
    metricsPort,
    'rpc_server_call_duration_seconds_count',
    'rpc_service="obskit.demo.entities.v1.EntityService"',
  );

const endpointsSeen = () =>
  metricSum(gatewayOf().metricsPort, 'discovery_endpoints', 'discovered_service="entity-service"');

/** Waits until the gateway sees `count` endpoints; returns how long that took. */
async function endpointsBecome(count: number, deadlineMs: number): Promise<number> {
  const start = Date.now();
  await poll(
    `the gateway to see ${count} entity-service endpoints`,
    async () => ((await endpointsSeen()) === count ? true : undefined),
    deadlineMs,
  );
  return Date.now() - start;
}

interface Outcome {
  start: number;
  status: number;
}

/** Requests one after another until stopped, each with when it started and its status. */
function steadyLoad() {
  const outcomes: Outcome[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const start = Date.now();
      const status = await fetch(readUrl)
        .then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        })
        .catch(() => 0);
      outcomes.push({ start, status });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    outcomes,
    stop: async () => {
      running = false;
      await done;
      return outcomes;
    },
  };
}

const failuresSince = (outcomes: Outcome[], since: number) =>
  outcomes.filter((o) => o.start >= since && o.status !== 200);

const keysOf = async (prefix: string) =>
  (await etcdClient(etcd.url).list(prefix)).kvs.map((kv) => kv.key).sort();

before(async () => {
  etcd = await useEtcd();
  const env = {
    ...process.env,
    DISCOVERY: 'etcd',
    OBSKIT_ETCD_URL: etcd.url,
    OBSKIT_PORT_GATEWAY: String(ports.gateway),
    OBSKIT_PORT_ENTITY_SERVICE: String(ports.entity),
    OBSKIT_PORT_APP_METRICS: String(ports.metrics),
  };
  // Its own ports and run dir: the pid files and Prometheus targets of a running demo stay untouched.
  plan = demoPlan({ ...localStackConfig(env), runDir }, 3, env);
  mkdirSync(dirname(plan.targetsFile), { recursive: true });
  await checkDemoPorts(plan);
  await startDemoServices(plan, repoRoot);
  await endpointsBecome(3, 15_000);
  const created = await fetch(`http://127.0.0.1:${ports.gateway}/entities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'discovery test' }),
  });
  assert.equal(created.status, 201);
  readUrl = `http://127.0.0.1:${ports.gateway}/entities/${((await created.json()) as { id: string }).id}`;
});

after(async () => {
  fourth?.kill('SIGTERM');
  if (plan) await stopDemoServices(plan, () => {});
  await etcd?.close();
  rmSync(runDir, { recursive: true, force: true });
});

test('the keys: three replicas and the stores under /services/, the gateway’s route under traefik/', async () => {
  const addresses = [0, 1, 2].map((i) => `127.0.0.1:${ports.entity + i}`);
  assert.deepEqual(
    await keysOf(servicePrefix('entity-service')),
    addresses.map((a) => instanceKey('entity-service', a)),
  );
  assert.deepEqual(await keysOf(servicePrefix('redis')), [instanceKey('redis', plan.stores.redis)]);
  assert.deepEqual(await keysOf(servicePrefix('mongodb')), [
    instanceKey('mongodb', plan.stores.mongodb),
  ]);
  assert.deepEqual(
    (await keysOf('traefik/')).filter((key) => key.includes('/gateway/')),
    [
      'traefik/http/routers/gateway/entryPoints/0',
      'traefik/http/routers/gateway/rule',
      'traefik/http/routers/gateway/service',
      `traefik/http/services/gateway/loadBalancer/servers/${ports.gateway}/url`,
    ],
  );
});

test('three replicas registered: the load reaches each of them, every request answered', async () => {
  const before = await Promise.all(replicas().map((r) => callsServed(r.metricsPort)));
  const requests = 60;
  for (let i = 0; i < requests; i++) {
    const response = await fetch(readUrl);
    assert.equal(response.status, 200, await response.text());
  }
  const served = await poll('each replica’s counts of the load', async () => {
    const now = await Promise.all(replicas().map((r) => callsServed(r.metricsPort)));
    const delta = now.map((n, i) => n - (before[i] as number));
    return delta.reduce((a, b) => a + b, 0) === requests ? delta : undefined;
  });
  // round_robin: every replica takes its share.
  assert.ok(
    served.every((n) => n >= requests / 3 - 2),
    `calls per replica ${served.join(', ')}`,
  );
});

test('a replica killed with SIGKILL leaves within its lease TTL + 2 s; no request fails after', async (t) => {
  const [first, second, third] = replicas() as [DemoService, DemoService, DemoService];
  const load = steadyLoad();
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.kill(demoServicePid(plan, third.name) as number, 'SIGKILL');
  const killedAt = Date.now();
  const took = await endpointsBecome(2, (leaseTtlSeconds + 2) * 1000);
  const settled = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const outcomes = await load.stop();
  t.diagnostic(`gone from the gateway's endpoints ${took} ms after the kill`);
  assert.ok(settled - killedAt <= (leaseTtlSeconds + 2) * 1000);
  assert.ok(outcomes.filter((o) => o.start >= settled).length > 20);
  assert.deepEqual(failuresSince(outcomes, settled), []);
  // With the load at rest, every request of a counted batch lands on the two live replicas.
  const live = async () =>
    (await callsServed(first.metricsPort)) + (await callsServed(second.metricsPort));
  const servedBefore = await live();
  const requests = 50;
  for (let i = 0; i < requests; i++) assert.equal((await fetch(readUrl)).status, 200);
  const served = await poll('the two replicas’ counts', async () => {
    const delta = (await live()) - servedBefore;
    return delta >= requests ? delta : undefined;
  });
  assert.equal(served, requests);
  assert.deepEqual(await keysOf(servicePrefix('entity-service')), [
    instanceKey('entity-service', `127.0.0.1:${first.port}`),
    instanceKey('entity-service', `127.0.0.1:${second.port}`),
  ]);
});

test('a fourth replica started later takes load within 2 s of registering, no gateway restart', async (t) => {
  const template = replicas()[0] as DemoService;
  const load = steadyLoad();
  fourth = spawn(
    process.execPath,
    [
      '-r',
      join(repoRoot, 'instrumentation'),
      join(repoRoot, 'dist/demo-services/entity-service/main.js'),
    ],
    {
      cwd: repoRoot,
      env: {
        ...template.env,
        PORT: String(fourthPort),
        OBSKIT_METRICS_PORT: String(fourthMetricsPort),
      },
      stdio: 'ignore',
    },
  );
  const key = instanceKey('entity-service', `127.0.0.1:${fourthPort}`);
  await poll('the fourth replica’s key', async () =>
    (await keysOf(key)).length ? true : undefined,
  );
  const registeredAt = Date.now();
  await poll('load on the fourth replica', async () =>
    (await callsServed(fourthMetricsPort)) > 0 ? true : undefined,
  );
  const took = Date.now() - registeredAt;
  const outcomes = await load.stop();
  t.diagnostic(`first call served ${took} ms after it registered`);
  assert.ok(took <= 2000, `${took} ms`);
  assert.equal(await endpointsSeen(), 3);
  assert.deepEqual(failuresSince(outcomes, 0), []);
});

test('etcd away for 30 s: the gateway serves without error; registration and watching resume', async (t) => {
  const load = steadyLoad();
  await etcd.stop();
  const stoppedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  assert.equal(await endpointsSeen(), 3, 'the last known endpoints are kept');
  await etcd.start();
  const outcomes = await load.stop();
  const during = outcomes.filter((o) => o.start >= stoppedAt);
  assert.ok(during.length > 500, `${during.length} requests while etcd was away`);
  assert.deepEqual(failuresSince(outcomes, 0), []);

  // Past a whole lease after etcd returned, the three live replicas are still registered:
  // their keep-alives (or new leases) hold the keys.
  await new Promise((resolve) => setTimeout(resolve, (leaseTtlSeconds + 2) * 1000));
  const live = [ports.entity, ports.entity + 1, fourthPort].map((p) =>
    instanceKey('entity-service', `127.0.0.1:${p}`),
  );
  assert.deepEqual(await keysOf(servicePrefix('entity-service')), live.sort());
  // The gateway watches again: a replica stopping now leaves its endpoints.
  fourth?.kill('SIGTERM');
  const took = await endpointsBecome(2, 3000);
  t.diagnostic(`the gateway saw the fourth replica go ${took} ms after its SIGTERM`);
});

test('etcd calls stay out of the traces: the services export no HTTP client span', async () => {
  // Registration and watching ran all along (a keep-alive every TTL/3); fetch is not traced.
  // Only this file's window: Jaeger also holds other tests' services of the same names.
  for (const service of ['gateway', 'entity-service']) {
    const traces = await searchTraces(urlOf('jaeger', '', 'query'), {
      service,
      start: startedAt * 1000,
      limit: 5000,
    });
    const names = new Set(
      traces
        .flatMap((t) => t.spans.filter((s) => serviceOf(t, s) === service))
        .map((s) => s.operationName),
    );
    assert.ok(names.size > 0, `${service} has no spans in Jaeger`);
    assert.deepEqual(
      [...names].filter((name) => /^(POST|GET|PUT)$|etcd/.test(name)),
      [],
      `${service}: ${[...names]}`,
    );
  }
});
