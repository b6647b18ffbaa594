// Every benchmark in smoke mode (BENCH_SMOKE=1: one short round, figures not judged), so that a
// move that breaks a bench breaks the build. demo-overhead needs the running stack's FerretDB
// and Redis, and capacity its Jaeger, rsyslog and Elasticsearch, hence an integration test.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/stack';

/** Each bench, and a line its report must hold once it has measured something. */
const benches: [string, RegExp][] = [
  ['preload-overhead.mjs', /^\| obskit \| \d+ µs \| [\d.]+× /m],
  ['allocation.mjs', /^\| obskit \|/m],
  ['exit-cost.mjs', /^\| obskit \| \d+ ms \|/m],
  ['log-cost.mjs', /^ +syslog tcp +[\d.]+ µs/m],
  ['span-cost.mjs', /^\| lean \| [\d.]+ µs \| [\d.]+× /m],
  ['metrics-cost.mjs', /^throughput: metrics off \d+ req\/s, on \d+ req\/s/m],
  ['demo-overhead.mjs', /^\| obskit \| \d+ µs \|/m],
  // A step of spans and one of log lines, each read back whole from Elasticsearch.
  [
    'capacity.mjs',
    /^\| spans \| 100\/s \| 2 s \| 200 \| 200 \| 0 \|.*\n\| logs \| 100\/s \| 2 s \| 200 \| 200 \| 0 \|/m,
  ],
];

for (const [bench, report] of benches) {
  test(`bench/${bench} runs in smoke mode and reports`, () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'bench', bench)], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, BENCH_SMOKE: '1' },
      timeout: 300_000,
    });
    assert.equal(result.status, 0, `${bench}: ${result.stderr}`);
    assert.match(result.stdout, report);
  });
}
