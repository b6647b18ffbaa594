// `obskit demo` on the real stack, as a newcomer runs it: 60 seconds of traced load through the
// gateway and two entity-service replicas, then what Jaeger, Prometheus, Elasticsearch and
// Alertmanager hold of it, bad requests, a replica killed under load, and Ctrl-C stopping only
// the demo.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  databaseOf,
  type JaegerSpan,
  type JaegerTrace,
  parentOf,
  searchTraces,
  serviceOf,
  tagsOf,
} from '../../clients/jaeger';
import { leaseTtlSeconds } from '../../demo-services/common/discovery/registration';
import { demoPlan } from '../../demo-services/launch/plan';
import { demoServicePid, logFileOf } from '../../demo-services/launch/services';
import { runningBackends } from '../../stack/lifecycle';
import { portFree } from '../../stack/ports';
import { startDemo } from '../helpers/demo';
import { elasticsearch, type LogDocument, logsMatching } from '../helpers/elasticsearch';
import { newTraceparent } from '../helpers/jaeger';
import { activeAlerts, promQuery } from '../helpers/prometheus';
import {
  backendsInTopology,
  getJson,
  poll,
  repoRoot,
  runCli,
  stack,
  urlOf,
} from '../helpers/stack';

const loadSeconds = 60;
const rate = 20;
const plan = demoPlan(stack, 2);
const gateway = plan.services.find((s) => s.name === 'gateway');
const replicas = plan.services.filter((s) => s.service === 'entity-service');
const jaegerUrl = urlOf('jaeger', '', 'query');

let demo: ReturnType<typeof startDemo>;
/** When the services were up and the load began, and when the load had ended, in ms. */
const window = { start: 0, end: 0 };
/** Every trace of a request the run's gateway served until the load ended, but its /health. */
let traces: JaegerTrace[] = [];
/** Those of the load's requests, each rooted at the load generator's client span. */
let loadTraces: JaegerTrace[] = [];
/** The run's log lines in Elasticsearch, as the log-line test found them. */
let runLines: { source: LogDocument }[] = [];

interface LoadSummary {
  requests: number;
  byStatus: Record<string, number>;
  failed: number;
}

const traceIdOf = (line: LogDocument) => (line.trace as { id?: string } | undefined)?.id;

before(async () => {
  demo = startDemo(loadSeconds, rate);
  await demo.waitFor('the demo services started', /started entity-service-1/, 120_000);
  window.start = Date.now();
  await demo.waitFor('the load done', /\(done\)/, (loadSeconds + 30) * 1000);
  window.end = Date.now();
});

after(() => {
  if (demo.process.exitCode === null) demo.process.kill('SIGKILL');
});

/** "gateway server", "load-generator client": who made a span, and its kind. */
const kindOf = (t: JaegerTrace, s: JaegerSpan) => `${serviceOf(t, s)} ${tagsOf(s)['span.kind']}`;

const serverSpansOf = (service: string, all: JaegerTrace[]) =>
  all.flatMap((t) => t.spans.filter((s) => kindOf(t, s) === `${service} server`));
const gatewayServerSpans = (all: JaegerTrace[]) => serverSpansOf('gateway', all);

/** The span's service.instance.id: host:pid for the demo's services. */
const instanceIdOf = (t: JaegerTrace, s: JaegerSpan) =>
  t.processes[s.processID]?.tags.find((tag) => tag.key === 'service.instance.id')?.value;

/** The services and kinds of a trace's roots: `load-generator client` for one of the load's. */
const rootsOf = (t: JaegerTrace) => t.spans.filter((s) => !parentOf(s)).map((s) => kindOf(t, s));

/** The demo's own /health check through Traefik, before the load; not a request of the run. */
const isHealthCheck = (t: JaegerTrace) => t.spans.some((s) => s.operationName === 'GET /health');

const reachedGatewayOnce = (t: JaegerTrace) => gatewayServerSpans([t]).length === 1;

/** A trace in a few words, for a failure message: its ID, roots and gateway spans. */
const describeTrace = (t: JaegerTrace) =>
  `${t.traceID} (root ${rootsOf(t).join(', ')}: ${gatewayServerSpans([t])
    .map((s) => `${s.operationName} ${tagsOf(s)['http.response.status_code']}`)
    .join(', ')})`;

/** The traces that hold a span of the run's gateway process, from its start to the load's end. */
async function runGatewayTraces(): Promise<JaegerTrace[]> {
  const pid = String(demoServicePid(plan, 'gateway'));
  const found = await searchTraces(jaegerUrl, {
    service: 'gateway',
    start: window.start * 1000 - 5_000_000,
    end: window.end * 1000,
    limit: 20_000,
  });
  const ofThisGateway = (t: JaegerTrace, s: JaegerSpan) =>
    serviceOf(t, s) === 'gateway' && String(instanceIdOf(t, s)).endsWith(`:${pid}`);
  return found.filter((t) => t.spans.some((s) => ofThisGateway(t, s)));
}

/** The gateway's request counts by route, method and status, as Prometheus holds them. */
async function gatewayHistogram(): Promise<string> {
  const series = await promQuery(
    `http_server_request_duration_seconds_count{instance="127.0.0.1:${gateway?.metricsPort}"}`,
  );
  return series
    .map(({ metric, value }) => {
      const { http_route, http_request_method, http_response_status_code } = metric;
      return `${http_request_method} ${http_route ?? '(no route)'} ${http_response_status_code}: ${value[1]}`;
    })
    .join(', ');
}

/** Every span's parent is in the trace: Traefik exports its spans on its own schedule. */
const parentsPresent = (t: JaegerTrace) =>
  t.spans.every((s) => !parentOf(s) || t.spans.some((p) => p.spanID === parentOf(s)));

/** The value of `query` once Prometheus has scraped `expected`, else its value at the deadline. */
async function scrapedCount(query: string, expected: number): Promise<number> {
  const value = async () => Number((await promQuery(query))[0]?.value[1] ?? 0);
  return poll(
    `${query} to reach ${expected}`,
    async () => {
      const count = await value();
      return count >= expected ? count : undefined;
    },
    30_000,
  ).catch(value);
}

test('the demo prints the backends’ URLs and three sample traces Jaeger holds', async () => {
  for (const url of ['16686/api/traces', '9090', '9093/api/v2/alerts', '9200/obskit-logs-*']) {
    assert.match(
      demo.output(),
      new RegExp(`http://127\\.0\\.0\\.1:${url.replace(/[*?]/g, '\\$&')}`),
    );
  }
  const samples = [
    ...demo
      .output()
      .matchAll(
        /^ {2}(read, cache hit|read, cache miss|write \(create\)) +([0-9a-f]{32}) +obskit trace \2/gm,
      ),
  ];
  assert.deepEqual(
    samples.map((m) => m[1]),
    ['read, cache hit', 'read, cache miss', 'write (create)'],
  );
  for (const sample of samples) {
    const trace = await getJson<{ data: JaegerTrace[] }>(`${jaegerUrl}/api/traces/${sample[2]}`);
    assert.equal(trace.data[0]?.traceID, sample[2]);
  }

  // The command printed beside each: the span tree from the load's client span down, and the
  // trace's four log lines (Traefik's and the gateway's access lines, the entity service's event
  // and access).
  const write = samples[2]?.[2] as string;
  const shown = runCli(['trace', write]);
  assert.equal(shown.code, 0, shown.stderr);
  const rpc = 'grpc.obskit.demo.entities.v1.EntityService/CreateEntity';
  assert.deepEqual(
    [...shown.stdout.matchAll(/^ +[\d.]+ ms +[\d.]+ ms {2}(.+)$/gm)].map((m) => m[1]),
    [
      'load-generator: POST (client)',
      '  traefik: POST (server)',
      '    traefik: ReverseProxy (client)',
      '      gateway: POST /entities (server)',
      `        gateway: ${rpc} (client)`,
      `          entity-service: ${rpc} (server)`,
      '            entity-service: insert entities (client)',
    ],
  );
  assert.match(shown.stdout, /^ +0\.0 ms +[\d.]+ ms {2}load-generator: POST \(client\)$/m);
  // The gateway's line may share a millisecond with the others: each is found once, in any order.
  const logLines = (shown.stdout.split(/^4 log lines:\n/m)[1] ?? '').trimEnd().split('\n');
  const expected = [
    /^ +\S+ +info +traefik: POST \/entities 201$/,
    /^ +\S+ +info +gateway: POST \/entities answered 201 in [\d.]+ ms$/,
    /^ +\S+ +info +entity-service: created entity [0-9a-f-]{36}$/,
    /^ +\S+ +info +entity-service: CreateEntity answered OK in [\d.]+ ms$/,
  ];
  assert.deepEqual(
    expected.map((pattern) => logLines.filter((line) => pattern.test(line)).length),
    [1, 1, 1, 1],
    shown.stdout,
  );
  assert.equal(logLines.length, 4);
  const json = JSON.parse(runCli(['trace', write, '--json']).stdout);
  assert.equal(json.trace.traceID, write);
  assert.deepEqual(
    json.logs.map((l: { trace: { id: string } }) => l.trace.id),
    [write, write, write, write],
  );
});

test('counts agree: load generator = gateway histogram in Prometheus = gateway server spans in Jaeger', async (t) => {
  const summary = JSON.parse(readFileSync(plan.loadSummaryFile, 'utf8')) as LoadSummary;
  assert.equal(summary.failed, 0);
  assert.ok(
    summary.requests >= loadSeconds * rate * 0.95,
    `${summary.requests} requests in ${loadSeconds} s at ${rate}/s`,
  );
  assert.deepEqual(Object.keys(summary.byStatus).sort(), ['200', '201', '204']);
  // The load's own client histogram; it holds after the run, so the last scrape has every request.
  const loadCount = await scrapedCount(
    'sum(http_client_request_duration_seconds_count{service="load-generator"})',
    summary.requests,
  );
  assert.equal(loadCount, summary.requests);

  // Everything the gateway served, counted twice by the preload: in its histogram and as spans.
  const gatewayCount = await scrapedCount(
    // Not /health: the demo asks it through Traefik before the load, to know the route is there.
    `sum(http_server_request_duration_seconds_count{instance="127.0.0.1:${gateway?.metricsPort}",http_route!="/health"})`,
    summary.requests,
  );
  const served = async () => (await runGatewayTraces()).filter((trace) => !isHealthCheck(trace));
  traces = await poll(
    'every trace of the run’s gateway in Jaeger, with its Traefik spans',
    async () => {
      const found = await served();
      const complete = gatewayServerSpans(found).length >= gatewayCount;
      return complete && found.every((trace) => parentsPresent(trace)) ? found : undefined;
    },
    30_000,
  ).catch(served);
  assert.equal(
    gatewayServerSpans(traces).length,
    gatewayCount,
    `the gateway's histogram: ${await gatewayHistogram()}`,
  );

  // What the load sent: one trace per request, rooted at its client span, through Traefik.
  loadTraces = traces.filter((trace) => rootsOf(trace).join() === 'load-generator client');
  assert.equal(loadTraces.length, summary.requests);
  assert.deepEqual(loadTraces.filter((trace) => !reachedGatewayOnce(trace)).map(describeTrace), []);
  const gatewayParents = loadTraces.flatMap((trace) =>
    trace.spans
      .filter((s) => kindOf(trace, s) === 'gateway server')
      .map((s) => trace.spans.find((p) => p.spanID === parentOf(s)))
      .map((p) => (p ? serviceOf(trace, p) : 'none')),
  );
  assert.deepEqual([...new Set(gatewayParents)], ['traefik']);
  // Any other request the gateway served is in both counts; say what it was.
  const others = traces.filter((trace) => !loadTraces.includes(trace)).map(describeTrace);
  t.diagnostic(
    `${summary.requests} requests = ${loadCount} load-generator counts in Prometheus = ${loadTraces.length} load traces in Jaeger; the gateway served ${gatewayCount} (histogram) = ${gatewayServerSpans(traces).length} (server spans)${others.length > 0 ? `, besides the load: ${others.join('; ')}` : ''}`,
  );
});

test('traces cross load-generator → Traefik → gateway → entity-service → MongoDB and Redis, on both replicas, with cache hits and misses', async () => {
  assert.ok(loadTraces.length > 0, 'the counts test found the load’s traces');
  const reads = loadTraces.filter((t) =>
    t.spans.some((s) => s.operationName === 'GET /entities/:id' && serviceOf(t, s) === 'gateway'),
  );
  const databases = (t: JaegerTrace) => new Set(t.spans.map(databaseOf));
  const services = (t: JaegerTrace) => new Set(t.spans.map((s) => serviceOf(t, s)));
  const misses = reads.filter((t) => databases(t).has('redis') && databases(t).has('mongodb'));
  const hits = reads.filter((t) => databases(t).has('redis') && !databases(t).has('mongodb'));
  assert.ok(misses.length > 0 && hits.length > 0, `${hits.length} hits, ${misses.length} misses`);
  for (const trace of [misses[0], hits[0]] as JaegerTrace[]) {
    assert.deepEqual([...services(trace)].sort(), [
      'entity-service',
      'gateway',
      'load-generator',
      'traefik',
    ]);
  }
  const redisCommands = (t: JaegerTrace) =>
    t.spans.filter((s) => databaseOf(s) === 'redis').map((s) => s.operationName);
  assert.deepEqual(redisCommands(hits[0] as JaegerTrace), ['get']);
  assert.deepEqual(redisCommands(misses[0] as JaegerTrace).sort(), ['get', 'set']);

  // Each replica's spans carry its own service.instance.id (host:pid); both served calls.
  // (The gateway's client spans cannot say which: instrumentation-grpc takes server.port from
  // the channel target, the last address of an ipv4: list.)
  const serverInstances = new Set(
    loadTraces.flatMap((t) =>
      t.spans
        .filter((s) => serviceOf(t, s) === 'entity-service' && tagsOf(s)['span.kind'] === 'server')
        .map((s) => instanceIdOf(t, s)),
    ),
  );
  const replicaPids = replicas.map((r) => demoServicePid(plan, r.name));
  assert.deepEqual(
    [...serverInstances].map((id) => Number(String(id).split(':').at(-1))).sort(),
    replicaPids.sort(),
  );

  const perReplica = await promQuery(
    'sum by (instance) (rpc_server_call_duration_seconds_count{service="entity-service"})',
  );
  const served = Object.fromEntries(perReplica.map((s) => [s.metric.instance, Number(s.value[1])]));
  for (const replica of replicas) {
    assert.ok((served[`127.0.0.1:${replica.metricsPort}`] ?? 0) > 0, JSON.stringify(served));
  }
});

/** The spans from `span` up to its trace's root, `span` first. */
function ancestry(trace: JaegerTrace, span: JaegerSpan): JaegerSpan[] {
  const chain = [span];
  for (let at = span; parentOf(at); ) {
    const parent = trace.spans.find((s) => s.spanID === parentOf(at));
    if (!parent) break;
    chain.push(parent);
    at = parent;
  }
  return chain;
}

test('a request sent to the edge: Traefik’s span is the root, then the gateway, the entity service and both stores', async () => {
  const created = await fetch(`${plan.gatewayUrl}/entities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'edge probe' }),
  });
  const { id } = (await created.json()) as { id: string };
  const sentAt = Date.now();
  // An update: MongoDB writes it and Redis drops the cached copy. The test sends no trace context.
  const updated = await fetch(`${plan.edgeUrl}/entities/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'edge probe, updated' }),
  });
  assert.equal(updated.status, 200);
  const trace = await poll(
    'the update’s trace in Jaeger, with its Redis and MongoDB spans',
    async () => {
      const [found] = await searchTraces(jaegerUrl, {
        service: 'gateway',
        operation: 'PUT /entities/:id',
        start: (sentAt - 1000) * 1000,
        limit: 10,
      });
      const stores = new Set(found?.spans.map(databaseOf));
      return found && stores.has('redis') && stores.has('mongodb') ? found : undefined;
    },
    30_000,
  );
  const roots = trace.spans.filter((s) => !parentOf(s));
  assert.deepEqual(
    roots.map((s) => kindOf(trace, s)),
    ['traefik server'],
  );
  for (const store of ['mongodb', 'redis']) {
    const span = trace.spans.find((s) => databaseOf(s) === store) as JaegerSpan;
    const path = ancestry(trace, span).map((s) => kindOf(trace, s));
    // Services in order from the store up to the root, each named once.
    const services = path.map((step) => step.split(' ')[0]).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(services, ['entity-service', 'gateway', 'traefik'], path.join(' <- '));
    assert.ok(
      path.includes('entity-service server') && path.includes('gateway server'),
      path.join(' <- '),
    );
    assert.equal(path.at(-1), 'traefik server');
  }
});

test('every log line of the run has a trace.id Jaeger holds: one access line per request and per call, one per write', async (t) => {
  const pids = plan.services.map((s) => demoServicePid(plan, s.name));
  const traceIds = new Set(traces.map((t) => t.traceID));
  const requests = gatewayServerSpans(traces).length;
  const calls = serverSpansOf('entity-service', traces).length;
  // Each successful write also logs what it did in the entity service.
  const writes = traces.filter((t) =>
    t.spans.some(
      (s) =>
        serviceOf(t, s) === 'gateway' &&
        /^(POST|PUT|DELETE) /.test(s.operationName) &&
        !tagsOf(s).error,
    ),
  ).length;
  const inWindow = {
    bool: {
      filter: [
        { terms: { 'process.pid': pids } },
        { range: { '@timestamp': { gte: window.start, lte: window.end } } },
      ],
    },
  };
  const expected = requests + calls + writes;
  runLines = await logsMatching(elasticsearch(), inWindow, 'the run’s pids', expected, 60_000);
  const perService = (service: string) =>
    runLines.filter((l) => (l.source.service as { name: string }).name === service).length;
  assert.deepEqual(
    { gateway: perService('gateway'), 'entity-service': perService('entity-service') },
    { gateway: requests, 'entity-service': calls + writes },
  );
  const untraced = runLines.filter((l) => !traceIds.has(traceIdOf(l.source) ?? ''));
  assert.deepEqual(untraced, []);
  t.diagnostic(
    `${runLines.length} lines = ${requests} gateway requests + ${calls} entity-service calls + ${writes} writes`,
  );
});

test('after the demo’s requests, every sampled gateway trace of the run has log lines in Elasticsearch', async (t) => {
  assert.ok(runLines.length > 0, 'the log-line test found the run’s lines');
  const logged = new Set(runLines.map((l) => traceIdOf(l.source)));
  // N requests, N traces: each request is its own trace, rooted at the load generator.
  const requests = gatewayServerSpans(traces).length;
  assert.equal(traces.length, requests);
  const unlogged = traces.filter((trace) => !logged.has(trace.traceID));
  assert.deepEqual(
    unlogged.map((trace) => trace.traceID),
    [],
  );
  t.diagnostic(`${traces.length} traces of ${requests} requests, each with its lines`);
});

test('bad requests get 4xx answers with clear messages, logged at warn', async () => {
  const unknownId = '3f1c2a4e-1111-4222-8333-444455556666';
  const cases = [
    {
      send: { method: 'POST', path: '/entities', body: '{"name": "x",' },
      status: 400,
      message: /^the body is not valid JSON: /,
    },
    {
      send: { method: 'GET', path: `/entities/${unknownId}` },
      status: 404,
      message: /^no entity with id 3f1c2a4e/,
    },
    {
      send: {
        method: 'POST',
        path: '/entities',
        body: JSON.stringify({ name: 'x'.repeat(20_000) }),
      },
      status: 413,
      message: /^the body is larger than the limit of 16384 bytes$/,
    },
    {
      send: { method: 'GET', path: '/entities/42' },
      status: 400,
      message: /^id '42' is not a lowercase UUID$/,
    },
    {
      send: { method: 'PUT', path: `/entities/${unknownId}`, body: '{"name": ""}' },
      status: 400,
      message: /^name must be a non-blank string/,
    },
  ];
  const client = elasticsearch();
  for (const { send, status, message } of cases) {
    const context = newTraceparent();
    const response = await fetch(`${plan.gatewayUrl}${send.path}`, {
      method: send.method,
      headers: { 'content-type': 'application/json', traceparent: context.header },
      body: send.body,
    });
    const body = (await response.json()) as { error: { status: number; message: string } };
    assert.equal(response.status, status, `${send.method} ${send.path}`);
    assert.equal(body.error.status, status);
    assert.match(body.error.message, message);
    // The gateway logs each; the entity service also logs the unknown id it was asked for.
    const expected = status === 404 ? 2 : 1;
    const lines = await logsMatching(
      client,
      { term: { 'trace.id': context.traceId } },
      context.traceId,
      expected,
    );
    assert.deepEqual(
      lines
        .map((l) => `${(l.source.service as { name: string }).name} ${l.source['log.level']}`)
        .sort(),
      status === 404 ? ['entity-service warn', 'gateway warn'] : ['gateway warn'],
    );
    assert.ok(lines.some((l) => String(l.source.message).endsWith(body.error.message)));
  }
});

test('with one replica killed under load, the gateway keeps answering and TargetDown fires', async (t) => {
  const victim = replicas[1];
  assert.ok(victim);
  const summaryFile = join(plan.dir, 'kill-load-summary.json');
  const load = spawn(
    process.execPath,
    [
      join(repoRoot, 'dist', 'demo-services', 'load', 'main.js'),
      '--url',
      plan.gatewayUrl,
      '--rate',
      String(rate),
      '--duration',
      '20',
      '--summary',
      summaryFile,
    ],
    { stdio: 'ignore' },
  );
  const loadEnded = new Promise((resolve) => load.once('exit', resolve));
  await new Promise((r) => setTimeout(r, 5000));
  const pid = demoServicePid(plan, victim.name);
  assert.ok(pid, `${victim.name} runs`);
  process.kill(pid, 'SIGKILL');
  await loadEnded;

  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as LoadSummary;
  const errors =
    summary.failed +
    Object.entries(summary.byStatus)
      .filter(([s]) => Number(s) >= 500)
      .reduce((n, [, c]) => n + c, 0);
  // The killed replica stays listed in etcd until its lease ends (the discovery test proves it
  // leaves within TTL + 2 s and nothing fails after); only calls until then may fail.
  assert.ok(
    errors <= rate * (leaseTtlSeconds + 2),
    `errors after the kill: ${JSON.stringify(summary)}`,
  );
  t.diagnostic(`replica killed under load: ${JSON.stringify(summary)}`);
  assert.ok(summary.requests >= 20 * rate * 0.95);

  const instance = `127.0.0.1:${victim.metricsPort}`;
  // for: 1m, two evaluation intervals, a scrape to notice and a notification.
  const alert = await poll(
    'TargetDown for the killed replica in Alertmanager',
    async () => {
      const active = await activeAlerts(`instance="${instance}"`);
      return active.find((a) => a.labels.alertname === 'TargetDown');
    },
    60_000 + 2 * 10_000 + 10_000 + 10_000,
  );
  assert.equal(alert.labels.service, 'entity-service');
  assert.equal(alert.labels.job, 'obskit-apps');
});

test('Ctrl-C stops the services and the load it started, and leaves the stack it found running', async () => {
  const pids = plan.services
    .map((s) => demoServicePid(plan, s.name))
    .filter((p) => p !== undefined);
  assert.equal(pids.length, plan.services.length - 1, 'every service but the killed replica runs');
  assert.equal(await demo.stop(), 0);
  assert.deepEqual(
    plan.services.map((s) => demoServicePid(plan, s.name)),
    plan.services.map(() => undefined),
  );
  assert.equal(existsSync(plan.targetsFile), false);
  // The load generator, held after its run, has ended too: its /metrics port is free.
  assert.equal(await portFree(plan.load.metricsPort), true);
  // Each stopped by itself, gracefully, within its 10 s: it logged the signal and nothing after.
  for (const service of plan.services.filter((s) => s.name !== 'entity-service-2')) {
    const lines = readFileSync(logFileOf(plan, service), 'utf8').trimEnd().split('\n');
    assert.match(
      lines.at(-1) ?? '',
      new RegExp(`"message":"${service.service} stopping: received SIGTERM"`),
    );
  }
  assert.deepEqual(
    runningBackends(stack).map((b) => b.name),
    backendsInTopology.map((b) => b.name),
  );
});
