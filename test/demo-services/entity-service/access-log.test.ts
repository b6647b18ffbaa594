// The entity service's access line: level by gRPC status, rpc.* fields, and the error of a
// server fault kept on the line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { grpcAccessLine } from '../../../demo-services/entity-service/access-log';

const path = '/obskit.demo.entities.v1.EntityService/GetEntity';

test('OK is info, the caller’s mistakes warn, every other code error', () => {
  const cases: [status, Error | undefined, string, string][] = [
    [status.OK, undefined, 'info', 'GetEntity answered OK in 2.0 ms'],
    [
      status.NOT_FOUND,
      new Error('no entity'),
      'warn',
      'GetEntity answered NOT_FOUND in 2.0 ms: no entity',
    ],
    [
      status.INVALID_ARGUMENT,
      new Error('name is empty'),
      'warn',
      'GetEntity answered INVALID_ARGUMENT in 2.0 ms: name is empty',
    ],
    [
      status.INTERNAL,
      new Error('injected error'),
      'error',
      'GetEntity answered INTERNAL in 2.0 ms: injected error',
    ],
    [
      status.UNAVAILABLE,
      new Error('down'),
      'error',
      'GetEntity answered UNAVAILABLE in 2.0 ms: down',
    ],
  ];
  for (const [code, error, level, message] of cases) {
    const line = grpcAccessLine(path, code, 2_000_000n, error);
    assert.deepEqual([line.level, line.message], [level, message]);
  }
});

test('rpc fields as OpenTelemetry names them; only a server fault keeps its error', () => {
  const fields = {
    'rpc.system': 'grpc',
    'rpc.service': 'obskit.demo.entities.v1.EntityService',
    'rpc.method': 'GetEntity',
    event: { duration: 2_000_000 },
  };
  assert.deepEqual(grpcAccessLine(path, status.NOT_FOUND, 2_000_000n, new Error('x')).fields, {
    ...fields,
    'rpc.grpc.status_code': 5,
  });
  const fault = new Error('MongoDB is unreachable');
  assert.deepEqual(grpcAccessLine(path, status.UNAVAILABLE, 2_000_000n, fault).fields, {
    ...fields,
    'rpc.grpc.status_code': 14,
    error: fault,
  });
});
