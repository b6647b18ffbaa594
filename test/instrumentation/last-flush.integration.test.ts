// Nothing is lost at exit, whichever way the process ends: an app's own SIGTERM handler calling
// process.exit(0), a script's process.exit(3), an uncaught exception. Real processes under the
// preload, checked in the real Jaeger and Elasticsearch; then the same endings against a backend
// that accepts connections and never answers, which must not hold the process past its deadline.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appEnv, fixtures, preloadArgs, type RunningApp } from '../helpers/apps';
import { type EchoPair, hopShape, startEchoPair } from '../helpers/echo';
import { elasticsearch, logsWhere } from '../helpers/elasticsearch';
import { forwardedRecords } from '../helpers/forwarded';
import { fetchTrace, newTraceparent, shapeOf } from '../helpers/jaeger';
import { freePort } from '../helpers/ports';
import { poll, portOf, repoRoot, uniqueId } from '../helpers/stack';

const requests = 20;
/** Long enough that nothing is exported before the end: what arrives, the last flush sent. */
const noExportBeforeExit = { OTEL_BSP_SCHEDULE_DELAY: '60000' };

const toStack = {
  ...noExportBeforeExit,
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
  OBSKIT_LOG_TRANSPORTS: 'syslog',
  OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
};

/** `requests` hops through the pair, each with a trace ID the test knows. */
async function hops(pair: EchoPair): Promise<string[]> {
  const traceIds: string[] = [];
  for (let seq = 1; seq <= requests; seq++) {
    const { traceId, header } = newTraceparent();
    const response = await fetch(`http://127.0.0.1:${pair.gateway.port}/hop/${seq}`, {
      headers: { traceparent: header },
    });
    assert.equal(response.status, 200, await response.text());
    traceIds.push(traceId);
  }
  return traceIds;
}

/** SIGTERM; how the app ended, and how long it took from the signal. */
function terminate(app: RunningApp) {
  const sent = Date.now();
  return app.stop('SIGTERM').then((ending) => ({ ...ending, ms: Date.now() - sent }));
}

/** A TCP port that accepts connections and never answers nor reads. */
async function silentBackend(): Promise<{ port: number; server: Server; close: () => void }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    server,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Runs script-exit.cjs to its end: its output, exit code, and ms from its last line to its end. */
function runScript(env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    [...preloadArgs('require'), join(fixtures, 'exit', 'script-exit.cjs')],
    { env: appEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; traceId: string; stderr: string; ms: number }>(
    (resolve) =>
      child.on('close', (code) => {
        const { traceId, exitingAt } = JSON.parse(stdout) as { traceId: string; exitingAt: number };
        resolve({ code, traceId, stderr, ms: Date.now() - exitingAt });
      }),
  );
}

/** The ECS fields read here, nested as Elasticsearch returns them. */
interface EcsLine {
  trace: { id: string };
  service: { name: string };
}

describe('the last flush, on the real stack', () => {
  const es = elasticsearch();
  after(() => es.close());

  test(`SIGTERM to apps that call process.exit(0) themselves: all ${requests} traces and log lines arrive`, async () => {
    const run = uniqueId('sigterm');
    const pair = await startEchoPair(run, toStack);
    const traceIds = await hops(pair);
    const endings = await Promise.all([terminate(pair.gateway), terminate(pair.echo)]);
    assert.deepEqual(
      endings.map(({ code, signal }) => ({ code, signal })),
      [
        { code: 0, signal: null },
        { code: 0, signal: null },
      ],
      pair.gateway.stderr() + pair.echo.stderr(),
    );
    assert.equal(pair.gateway.stderr() + pair.echo.stderr(), '');
    for (const traceId of traceIds) {
      const trace = await fetchTrace(traceId, 3);
      assert.deepEqual(shapeOf(trace), hopShape(pair.services), traceId);
    }
    const lines = await logsWhere(es, 'test.run', run, 2 * requests);
    assert.equal(lines.length, 2 * requests);
    const perTrace = new Map<string, string[]>();
    for (const { source } of lines as unknown as { source: EcsLine }[]) {
      const services = perTrace.get(source.trace.id) ?? [];
      perTrace.set(source.trace.id, [...services, source.service.name].sort());
    }
    assert.deepEqual(
      [...perTrace.keys()].sort(),
      [...traceIds].sort(),
      'every line carries one of the traces',
    );
    for (const services of perTrace.values())
      assert.deepEqual(services, [pair.services.echo, pair.services.gateway].sort());
  });

  test('a script that ends with process.exit(3): exit code 3, every span and line delivered', async () => {
    const run = uniqueId('script');
    const count = 5;
    const ending = await runScript({ ...toStack, RUN: run, COUNT: String(count) });
    assert.equal(ending.code, 3, ending.stderr);
    assert.equal(ending.stderr, '');
    const trace = await fetchTrace(ending.traceId, count + 1);
    assert.equal(trace.spans.length, count + 1);
    const lines = await logsWhere(es, 'test.run', run, count);
    assert.deepEqual(lines.map(({ source }) => source['test.seq']).sort(), [1, 2, 3, 4, 5]);
  });

  test('the same script over Fluentd: every line acknowledged before exit', async () => {
    const run = uniqueId('script-fluentd');
    const ending = await runScript({
      ...toStack,
      OBSKIT_LOG_TRANSPORTS: 'fluentd',
      OBSKIT_LOG_FLUENTD_URL: `tcp://127.0.0.1:${portOf('otelcol', 'forward')}`,
      RUN: run,
      COUNT: '5',
    });
    assert.equal(ending.code, 3, ending.stderr);
    assert.equal(ending.stderr, '');
    const records = await poll('5 forwarded records', async () => {
      const found = forwardedRecords().filter((record) => record.attributes['test.run'] === run);
      return found.length >= 5 ? found : undefined;
    });
    assert.deepEqual(
      [...new Set(records.map((record) => record.attributes['test.seq']))].sort(),
      [1, 2, 3, 4, 5],
    );
  });

  test(`an uncaught exception after ${requests} requests: exit code 1, node's own report, all before it delivered`, async (t) => {
    const run = uniqueId('crash');
    const pair = await startEchoPair(run, toStack);
    // A failed assertion must not leave the echo service running, which holds the test file open.
    t.after(() => pair.echo.stop('SIGKILL'));
    const traceIds = await hops(pair);
    await fetch(`http://127.0.0.1:${pair.gateway.port}/crash`).catch(() => undefined);
    const crashed = await pair.gateway.exited;
    assert.deepEqual(crashed, { code: 1, signal: null });
    const report = pair.gateway.stderr();
    assert.match(report, /echo-gateway\.cjs:\d+\n\s+throw new Error\('boom from a route'\);/);
    assert.match(report, /\nError: boom from a route\n\s+at Immediate\./);
    assert.match(report, /\nNode\.js v\d+/);
    // Nothing of obskit's in node's report: no line of its own, no frame of the preload (the
    // checkout's own path, which may hold the word, is left out).
    const reported = report.replaceAll(repoRoot, '<checkout>');
    assert.doesNotMatch(reported, /obskit|<checkout>\/(dist\/)?instrumentation\//);
    await pair.echo.stop('SIGTERM');
    for (const traceId of traceIds) {
      const trace = await fetchTrace(traceId, 3);
      assert.deepEqual(shapeOf(trace), hopShape(pair.services), traceId);
    }
    assert.equal((await logsWhere(es, 'test.run', run, 2 * requests)).length, 2 * requests);
  });
});

describe('the last flush against a backend that never answers', () => {
  const timeoutMs = 1500;
  const margin = 500;
  let silent: Awaited<ReturnType<typeof silentBackend>>;
  before(async () => {
    silent = await silentBackend();
  });
  after(() => silent.close());

  const toSilence = () => ({
    ...noExportBeforeExit,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${silent.port}`,
    OBSKIT_LOG_TRANSPORTS: 'fluentd',
    OBSKIT_LOG_FLUENTD_URL: `tcp://127.0.0.1:${silent.port}`,
    OBSKIT_SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
  });
  const lostSpans =
    /obskit: (\d+) spans were not exported to http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP http\/protobuf\) before exit \(OBSKIT_SHUTDOWN_TIMEOUT_MS\)/;
  const lostLines =
    /obskit: (\d+) log lines were not shipped to fluentd at tcp:\/\/127\.0\.0\.1:\d+ before exit \(OBSKIT_SHUTDOWN_TIMEOUT_MS\)/;

  test(`SIGTERM: both apps end within the deadline + ${margin} ms, saying what was lost`, async () => {
    const pair = await startEchoPair(uniqueId('silent-sigterm'), {
      ...noExportBeforeExit,
      ...toSilence(),
    });
    await hops(pair);
    // One after the other: the echo server's own shutdown waits for the gateway's connection.
    const gateway = await terminate(pair.gateway);
    const echo = await terminate(pair.echo);
    assert.deepEqual([gateway.code, echo.code], [0, 0]);
    assert.ok(gateway.ms <= timeoutMs + margin, `the gateway took ${gateway.ms} ms`);
    assert.ok(echo.ms <= timeoutMs + margin, `the echo service took ${echo.ms} ms`);
    assert.equal(pair.gateway.stderr().match(lostSpans)?.[1], String(2 * requests));
    assert.equal(pair.echo.stderr().match(lostSpans)?.[1], String(requests));
    assert.equal(pair.gateway.stderr().match(lostLines)?.[1], String(requests));
    assert.equal(pair.echo.stderr().match(lostLines)?.[1], String(requests));
  });

  test(`process.exit(3): ends within the deadline + ${margin} ms, saying what was lost`, async () => {
    const ending = await runScript({ ...toSilence(), RUN: uniqueId('silent-script'), COUNT: '5' });
    assert.equal(ending.code, 3);
    assert.ok(ending.ms <= timeoutMs + margin, `the script took ${ending.ms} ms`);
    assert.equal(ending.stderr.match(lostSpans)?.[1], '6');
    assert.equal(ending.stderr.match(lostLines)?.[1], '5');
  });

  test(`an uncaught exception: exit code 1 within the deadline + ${margin} ms, saying what was lost`, async () => {
    const pair = await startEchoPair(uniqueId('silent-crash'), {
      ...noExportBeforeExit,
      ...toSilence(),
    });
    await hops(pair);
    const sent = Date.now();
    await fetch(`http://127.0.0.1:${pair.gateway.port}/crash`).catch(() => undefined);
    assert.deepEqual(await pair.gateway.exited, { code: 1, signal: null });
    const ms = Date.now() - sent;
    assert.ok(ms <= timeoutMs + margin, `the gateway took ${ms} ms`);
    assert.match(pair.gateway.stderr(), /\nError: boom from a route\n/);
    assert.equal(pair.gateway.stderr().match(lostSpans)?.[1], String(2 * requests));
    await pair.echo.stop('SIGKILL');
  });
});
