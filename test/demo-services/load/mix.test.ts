// The load's request mix: writes create the ids that reads use, in the stated shares.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixShares, requestMix } from '../../../demo-services/load/mix';

/** A repeatable random sequence, so the shares are exact for this seed. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test('the mix starts with a create, then keeps the stated shares over ids it created', () => {
  const next = requestMix(seeded(7));
  const first = next();
  assert.equal(`${first.method} ${first.path}`, 'POST /entities');
  let created = 0;
  first.settle(201, JSON.stringify({ id: `id-${created++}` }));
  const counts: Record<string, number> = {};
  const total = 20_000;
  for (let i = 0; i < total; i++) {
    const request = next();
    const kind = `${request.method} ${request.path.replace(/id-\d+/, ':id').replace(/\?.*/, '')}`;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (request.method === 'POST') request.settle(201, JSON.stringify({ id: `id-${created++}` }));
    else request.settle(200, '{}');
    if (request.path.includes('undefined')) assert.fail(`a request without an id: ${request.path}`);
  }
  const share = (kind: string) => (counts[kind] ?? 0) / total;
  assert.ok(Math.abs(share('GET /entities/:id') - mixShares.read) < 0.02, JSON.stringify(counts));
  assert.ok(Math.abs(share('GET /entities') - mixShares.list) < 0.02, JSON.stringify(counts));
  assert.ok(Math.abs(share('PUT /entities/:id') - mixShares.update) < 0.02, JSON.stringify(counts));
  assert.ok(
    Math.abs(share('DELETE /entities/:id') - mixShares.delete) < 0.02,
    JSON.stringify(counts),
  );
});

test('a deleted id is never read again', () => {
  const next = requestMix(seeded(11));
  let created = 0;
  const deleted = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const request = next();
    const id = /\/entities\/(id-\d+)/.exec(request.path)?.[1];
    if (id && deleted.has(id)) assert.fail(`${request.method} ${request.path} after its delete`);
    if (request.method === 'DELETE' && id) deleted.add(id);
    if (request.method === 'POST') request.settle(201, JSON.stringify({ id: `id-${created++}` }));
    else request.settle(200, '{}');
  }
  assert.ok(deleted.size > 100);
});

test('no id is deleted while a read or an update of it is unanswered, or after its failure', () => {
  const next = requestMix(seeded(13));
  let created = 0;
  const unanswered = new Map<string, { settle: (status: number, body: string) => void }[]>();
  let deletes = 0;
  for (let i = 0; i < 5000; i++) {
    const request = next();
    const id = /\/entities\/(id-\d+)/.exec(request.path)?.[1];
    if (request.method === 'POST') request.settle(201, JSON.stringify({ id: `id-${created++}` }));
    else if (request.method === 'DELETE' && id) {
      assert.equal(unanswered.get(id)?.length ?? 0, 0, `DELETE ${id} with requests in flight`);
      deletes += 1;
    } else if (id) unanswered.set(id, [...(unanswered.get(id) ?? []), request]);
    // Answer the oldest requests late, some with no answer at all (a failure settles with 0).
    if (i % 3 === 0) {
      for (const [key, requests] of unanswered) {
        requests.shift()?.settle(i % 2 ? 200 : 0, '');
        if (requests.length === 0) unanswered.delete(key);
        break;
      }
    }
  }
  assert.ok(deletes > 50, `${deletes} deletes`);
});
