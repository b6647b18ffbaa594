// One access line per gRPC call, written as the call is answered, inside the call's span so
// that it carries the trace.id: method, gRPC status code, duration, and why a call failed.

import { status } from '@grpc/grpc-js';
import { type AccessLevel, type AccessLine, accessLine } from '../common/access-line';

/** The caller's mistakes, answered as 4xx by the gateway: warn, as the gateway logs those. */
const clientErrors = new Set([status.INVALID_ARGUMENT, status.NOT_FOUND]);

const levelOf = (code: status): AccessLevel =>
  code === status.OK ? 'info' : clientErrors.has(code) ? 'warn' : 'error';

/** `path` is the call's /package.Service/Method; a server fault's line keeps its error. */
export function grpcAccessLine(
  path: string,
  code: status,
  durationNs: bigint,
  error?: Error,
): AccessLine {
  const [, service = '', method = ''] = path.split('/');
  const level = levelOf(code);
  const failure = error && { message: error.message, ...(level === 'error' ? { error } : {}) };
  return accessLine(
    level,
    `${method} answered ${status[code] ?? code}`,
    durationNs,
    {
      'rpc.system': 'grpc',
      'rpc.service': service,
      'rpc.method': method,
      'rpc.grpc.status_code': code,
    },
    failure,
  );
}
