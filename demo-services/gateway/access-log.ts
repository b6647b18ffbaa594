// One access line per HTTP request, written when its response is done, in the request's own
// context so that it carries the request's trace.id: method, route template, status, duration.
// A failed request's reason goes on this same line, so each request is exactly one line.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import {
  type AccessLevel,
  type AccessLine,
  accessLine,
  type Failure,
  writeAccessLine,
} from '../common/access-line';

export interface HttpExchange {
  method: string;
  /** The URL as sent, query included; cut to 200 characters in the message. */
  url: string;
  /** The matched route template, such as /entities/:id; none when no route matched. */
  route?: string;
  /** None when the client went away before the answer was sent. */
  status?: number;
  durationNs: bigint;
  failure?: Failure;
}

function levelOf(status: number | undefined): AccessLevel {
  // A request its client gave up on is worth a look, as a bad request is.
  if (status === undefined) return 'warn';
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

export function httpAccessLine(exchange: HttpExchange): AccessLine {
  const { method, url, route, status, durationNs, failure } = exchange;
  const path = url.split('?', 1)[0] ?? url;
  const answered = status === undefined ? 'was left by the client' : `answered ${status}`;
  return accessLine(
    levelOf(status),
    `${method} ${url.slice(0, 200)} ${answered}`,
    durationNs,
    {
      'http.request.method': method,
      'url.path': path.slice(0, 200),
      ...(route === undefined ? {} : { 'http.route': route }),
      ...(status === undefined ? {} : { 'http.response.status_code': status }),
    },
    failure,
  );
}

const failures = new WeakMap<Response, Failure>();

/** The error handler's verdict, written on the request's access line. */
export function noteFailure(res: Response, failure: Failure): void {
  failures.set(res, failure);
}

/** The first middleware: times the request and logs it once the response is sent or dropped. */
export function accessLog(req: Request, res: Response, next: NextFunction): void {
  const start = process.hrtime.bigint();
  const inRequestContext = AsyncLocalStorage.snapshot();
  res.once('close', () =>
    inRequestContext(() =>
      writeAccessLine(
        httpAccessLine({
          method: req.method,
          url: req.originalUrl,
          route: req.route?.path,
          status: res.writableFinished ? res.statusCode : undefined,
          durationNs: process.hrtime.bigint() - start,
          failure: failures.get(res),
        }),
      ),
    ),
  );
  next();
}
