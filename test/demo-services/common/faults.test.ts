// Fault knobs: FAULT_* variables at start, a faults file changing them live, bad values named.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { faultInjector } from '../../../demo-services/common/faults';
import { poll } from '../../helpers/stack';

const knobs = ['FAULT_LATENCY_MS', 'FAULT_ERROR_RATE', 'FAULT_OUTAGE', 'FAULTS_FILE'];
afterEach(() => {
  for (const name of knobs) delete process.env[name];
});

test('the variables set the start values; an outage must name a dependency', () => {
  Object.assign(process.env, {
    FAULT_LATENCY_MS: '250',
    FAULT_ERROR_RATE: '1',
    FAULT_OUTAGE: 'redis',
  });
  const faults = faultInjector('entity-service', ['mongodb', 'redis']);
  assert.deepEqual(faults.current(), { latencyMs: 250, errorRate: 1, outage: 'redis' });
  assert.equal(faults.shouldFail(), true);
  assert.equal(faults.isDown('redis'), true);
  assert.equal(faults.isDown('mongodb'), false);

  process.env.FAULT_OUTAGE = 'postgres';
  assert.throws(() => faultInjector('entity-service', ['mongodb', 'redis']), {
    message: "FAULT_OUTAGE outage 'postgres' is not one of: mongodb, redis",
  });
  process.env.FAULT_OUTAGE = '';
  process.env.FAULT_ERROR_RATE = '5%';
  assert.throws(() => faultInjector('gateway', []), {
    message: 'FAULT_ERROR_RATE="5%" is not a number from 0 to 1',
  });
});

test('the faults file changes them while the service runs; a bad entry is ignored', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'faults-')), 'faults.json');
  writeFileSync(file, JSON.stringify({ gateway: { latencyMs: 0, errorRate: 0, outage: '' } }));
  process.env.FAULTS_FILE = file;
  const faults = faultInjector('gateway', ['entity-service']);
  assert.equal(faults.delay(), undefined);

  // A different size: a write in the same clock tick as the last one shows no other change.
  writeFileSync(
    file,
    JSON.stringify({ gateway: { latencyMs: 5, outage: 'entity-service', errorRate: 0 } }),
  );
  await poll(
    'the file change',
    async () => (faults.isDown('entity-service') ? true : undefined),
    5000,
  );
  assert.deepEqual(faults.current(), { latencyMs: 5, errorRate: 0, outage: 'entity-service' });
  assert.ok(faults.delay() instanceof Promise);

  // The warning is the sign the bad entry was read; the console logger writes it to stdout.
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    writeFileSync(file, JSON.stringify({ gateway: { latencyMs: -1, outage: '' } }));
    await poll(
      'the warning',
      async () => (printed.includes('faults file ignored') ? true : undefined),
      5000,
    );
  } finally {
    process.stdout.write = write;
  }
  assert.match(printed, /faults file ignored: .* latencyMs must be an integer from 0 to 60000/);
  assert.deepEqual(faults.current(), { latencyMs: 5, errorRate: 0, outage: 'entity-service' });
});
