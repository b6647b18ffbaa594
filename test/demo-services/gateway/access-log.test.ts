// The gateway's access line: level by status, the route template, the failure's reason, and
// event.duration in nanoseconds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpAccessLine } from '../../../demo-services/gateway/access-log';

test('one line per request: level by status class, ECS fields, the reason of a failure', () => {
  const error = new Error('14 UNAVAILABLE: no connection');
  const cases = [
    {
      exchange: { method: 'GET', url: '/entities/ab?x=1', route: '/entities/:id', status: 200 },
      line: ['info', 'GET /entities/ab?x=1 answered 200 in 1.5 ms'],
    },
    {
      exchange: { method: 'GET', url: '/nope', status: 404, failure: { message: 'no route' } },
      line: ['warn', 'GET /nope answered 404 in 1.5 ms: no route'],
    },
    {
      exchange: {
        method: 'POST',
        url: '/entities',
        route: '/entities',
        status: 503,
        failure: { message: 'entity-service: no connection', error },
      },
      line: ['error', 'POST /entities answered 503 in 1.5 ms: entity-service: no connection'],
    },
    {
      exchange: { method: 'PUT', url: '/entities/ab', route: '/entities/:id' },
      line: ['warn', 'PUT /entities/ab was left by the client in 1.5 ms'],
    },
  ];
  for (const { exchange, line } of cases) {
    const written = httpAccessLine({ ...exchange, durationNs: 1_500_000n });
    assert.deepEqual([written.level, written.message], line);
  }

  const failed = httpAccessLine({ ...cases[2]?.exchange, durationNs: 1_500_000n } as never);
  assert.deepEqual(failed.fields, {
    'http.request.method': 'POST',
    'url.path': '/entities',
    'http.route': '/entities',
    'http.response.status_code': 503,
    event: { duration: 1_500_000 },
    error,
  });
  const left = httpAccessLine({ method: 'GET', url: '/x?q=1', durationNs: 7n });
  assert.deepEqual(left.fields, {
    'http.request.method': 'GET',
    'url.path': '/x',
    event: { duration: 7 },
  });
});

test('a long URL is cut to 200 characters in the message and in url.path', () => {
  const url = `/entities/${'a'.repeat(300)}`;
  const line = httpAccessLine({ method: 'GET', url, status: 400, durationNs: 0n });
  assert.equal(line.message, `GET ${url.slice(0, 200)} answered 400 in 0.0 ms`);
  assert.equal(line.fields['url.path'], url.slice(0, 200));
});
