// No stall on the request path: under load from its first request on, with exports every 200 ms
// to the real Jaeger, the app's thread loads no module of the export path while a request is
// in flight; the exporter loads and runs on the export thread.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtures, startApp } from '../helpers/apps';
import { fetchTrace, newTraceparent } from '../helpers/jaeger';
import { portOf } from '../helpers/stack';

const loadSeconds = 3;
const concurrency = 8;
const exportPath = /exporter|otlp|protobuf|thrift|jaeger|export-thread|worker_threads/;

async function load(port: number): Promise<string[]> {
  const traceIds: string[] = [];
  const end = Date.now() + loadSeconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const { traceId, header } = newTraceparent();
      // A request that waits on a call of its own, as most do: in flight across loop turns.
      const response = await fetch(`http://127.0.0.1:${port}/outbound`, {
        headers: { traceparent: header },
      });
      assert.equal(await response.text(), 'outbound 200');
      traceIds.push(traceId);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return traceIds;
}

test('no module of the export path loads on the app thread while a request is in flight', async (t) => {
  const app = await startApp('hello.cjs', 'require', {
    NODE_OPTIONS: `--require ${join(fixtures, 'load-watch.cjs')}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${portOf('jaeger', 'otlp-http')}`,
  });
  try {
    const traceIds = await load(app.port);
    // Exports really ran during the load: its first and last traces are in Jaeger.
    await fetchTrace(traceIds[0] as string, 1);
    await fetchTrace(traceIds.at(-1) as string, 1);
    const watched = await fetch(`http://127.0.0.1:${app.port}/__loaded`);
    const { served, loaded } = (await watched.json()) as { served: number; loaded: string[] };
    // Each /outbound calls /hello once.
    assert.equal(served, 2 * traceIds.length);
    t.diagnostic(`modules loaded during requests: ${JSON.stringify(loaded)}`);
    assert.deepEqual(
      loaded.filter((name) => exportPath.test(name)),
      [],
    );
  } finally {
    await app.stop('SIGTERM');
  }
});
