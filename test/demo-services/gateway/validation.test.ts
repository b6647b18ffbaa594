// The gateway's input rules and error mapping: each mistake a 4xx with a message naming it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { HttpError, httpErrorOf } from '../../../demo-services/gateway/http-errors';
import { entityChanges, entityId, listLimit } from '../../../demo-services/gateway/validation';

const failure = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    const { status: code, message } = error as HttpError;
    return `${code} ${message}`;
  }
  return 'no error';
};

test('entity bodies: name and attributes only, each checked', () => {
  assert.deepEqual(entityChanges({ name: 'a' }), { name: 'a', attributes: {} });
  assert.deepEqual(entityChanges({ name: 'a', attributes: { k: 'v' } }), {
    name: 'a',
    attributes: { k: 'v' },
  });
  const cases: [unknown, string][] = [
    [undefined, '400 the body must be a JSON object (Content-Type: application/json)'],
    [[1], '400 the body must be a JSON object (Content-Type: application/json)'],
    [{}, '400 name must be a non-blank string of at most 200 characters'],
    [{ name: '  ' }, '400 name must be a non-blank string of at most 200 characters'],
    [{ name: 'x'.repeat(201) }, '400 name must be a non-blank string of at most 200 characters'],
    [{ name: 'a', colour: 'red' }, "400 unknown field 'colour'; an entity has name and attributes"],
    [{ name: 'a', attributes: 'red' }, '400 attributes must be an object of strings'],
    [
      { name: 'a', attributes: { n: 1 } },
      "400 attribute 'n' must be a string of at most 1024 characters",
    ],
    [
      {
        name: 'a',
        attributes: Object.fromEntries([...Array(33).keys()].map((i) => [`k${i}`, ''])),
      },
      '400 attributes has 33 keys; at most 32 are allowed',
    ],
  ];
  for (const [body, expected] of cases)
    assert.equal(
      failure(() => entityChanges(body)),
      expected,
    );
});

test('ids are lowercase UUIDs; list limits 1 to 100', () => {
  const id = '3f1c2a4e-1111-4222-8333-444455556666';
  assert.equal(entityId(id), id);
  assert.equal(
    failure(() => entityId(id.toUpperCase())),
    `400 id '${id.toUpperCase()}' is not a lowercase UUID`,
  );
  assert.equal(listLimit(undefined), 20);
  assert.equal(listLimit('100'), 100);
  for (const raw of ['0', '101', '2.5', 'ten', ['1', '2']]) {
    assert.equal(
      failure(() => listLimit(raw)),
      '400 limit must be an integer from 1 to 100',
    );
  }
});

test('failures map to statuses: body parser, entity service, anything else', () => {
  const of = (error: unknown) => {
    const { status: code, message } = httpErrorOf(error);
    return `${code} ${message}`;
  };
  assert.equal(
    of(
      Object.assign(new SyntaxError('Unexpected end of JSON input'), {
        type: 'entity.parse.failed',
        status: 400,
      }),
    ),
    '400 the body is not valid JSON: Unexpected end of JSON input',
  );
  assert.equal(
    of(
      Object.assign(new Error('too large'), {
        type: 'entity.too.large',
        status: 413,
        limit: 16384,
      }),
    ),
    '413 the body is larger than the limit of 16384 bytes',
  );
  assert.equal(
    of({ code: status.NOT_FOUND, details: 'no entity with id x' }),
    '404 no entity with id x',
  );
  assert.equal(
    of({ code: status.UNAVAILABLE, details: 'No connection established' }),
    '503 entity-service: No connection established',
  );
  assert.equal(
    of({ code: status.INTERNAL, details: 'injected error' }),
    '502 entity-service: injected error',
  );
  assert.equal(of(new TypeError('x is undefined')), '500 internal error');
  assert.equal(of(new HttpError(404, 'no route')), '404 no route');
});
