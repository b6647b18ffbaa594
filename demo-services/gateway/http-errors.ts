// Every failure as an HTTP status and a clear message: the client's mistakes are 4xx and logged
// at warn, the gateway's or the entity service's troubles 5xx and logged at error.

import { status as grpcStatus } from '@grpc/grpc-js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** gRPC codes the entity service answers with, as the HTTP status a client understands. */
const statusOfGrpcCode: Partial<Record<grpcStatus, number>> = {
  [grpcStatus.INVALID_ARGUMENT]: 400,
  [grpcStatus.NOT_FOUND]: 404,
  [grpcStatus.ALREADY_EXISTS]: 409,
  [grpcStatus.UNAVAILABLE]: 503,
  [grpcStatus.DEADLINE_EXCEEDED]: 504,
};

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

interface GrpcError {
  code: grpcStatus;
  details: string;
}

const isGrpcError = (error: unknown): error is GrpcError =>
  typeof (error as GrpcError).code === 'number' && typeof (error as GrpcError).details === 'string';

export function httpErrorOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const parser = error as BodyParserError;
  if (parser.type === 'entity.parse.failed')
    return new HttpError(400, `the body is not valid JSON: ${(error as Error).message}`);
  if (parser.type === 'entity.too.large')
    return new HttpError(413, `the body is larger than the limit of ${parser.limit} bytes`);
  if (parser.type && parser.status && parser.status < 500)
    return new HttpError(parser.status, (error as Error).message);
  if (isGrpcError(error)) {
    const status = statusOfGrpcCode[error.code] ?? 502;
    const message = status < 500 ? error.details : `entity-service: ${error.details}`;
    return new HttpError(status, message);
  }
  return new HttpError(500, 'internal error');
}
