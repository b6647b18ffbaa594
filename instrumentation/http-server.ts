// Incoming HTTP requests: one SERVER span each, with the stable HTTP semantic conventions and
// W3C trace context, in a few lines on the request path. @opentelemetry/instrumentation-http
// keeps the outgoing side; its server side costs several times more per request.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  type AttributeValue,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api';
import { type RPCMetadata, RPCType } from '@opentelemetry/core';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { requestContext } from './request-context';
import { obskitVersion } from './version';

type Emit = (this: Server, event: string, ...args: unknown[]) => boolean;

/** Set on a server (obskit's /metrics) whose requests are not traced. */
export const untracedServer = Symbol.for('obskit.untraced-server');

/** The request's span and route, on its response until the response closes. */
const tracedBy = Symbol('obskit.http-server.rpc');

type HttpRpc = RPCMetadata & { type: RPCType.HTTP };
type TracedResponse = ServerResponse & { [tracedBy]?: HttpRpc };

export class HttpServerInstrumentation extends InstrumentationBase {
  constructor() {
    super('obskit-http-server', obskitVersion, {});
  }

  protected init() {
    return ['http', 'https'].map(
      (scheme) =>
        new InstrumentationNodeModuleDefinition(
          scheme,
          ['*'],
          (exports: { Server: { prototype: Server } }) => {
            this._wrap(exports.Server.prototype, 'emit', (original: Emit) =>
              this.traceRequests(original, scheme),
            );
            this.endSpansAtClose();
            return exports;
          },
          (exports: { Server: { prototype: Server } }) => {
            this._unwrap(exports.Server.prototype, 'emit');
            if (isWrapped(responses().emit)) this._unwrap(responses(), 'emit');
          },
        ),
    );
  }

  /**
   * Every response that carries a span ends it when it closes: one wrapped emit that https
   * shares with http, rather than a listener (and its wrapper) made for each response.
   */
  private endSpansAtClose(): void {
    if (isWrapped(responses().emit)) return;
    this._wrap(responses(), 'emit', (original: ServerResponse['emit']) => {
      return function emit(this: TracedResponse, event: string | symbol) {
        const rpc = event === 'close' ? this[tracedBy] : undefined;
        if (rpc) {
          this[tracedBy] = undefined;
          endSpan(rpc.span, this.req, this, rpc);
        }
        // biome-ignore lint/complexity/noArguments: passes any arguments on without copying them
        return original.apply(this, arguments as unknown as Parameters<typeof original>);
      };
    });
  }

  private traceRequests(original: Emit, scheme: string): Emit {
    const instrumentation = this;
    return function emit(this: Server, event: string, req?: unknown, res?: unknown): boolean {
      if (event !== 'request' || (this as { [untracedServer]?: boolean })[untracedServer]) {
        // biome-ignore lint/complexity/noArguments: passes any arguments on without copying them
        return original.apply(this, arguments as unknown as Parameters<Emit>);
      }
      return instrumentation.traceRequest(
        original,
        scheme,
        this,
        req as IncomingMessage,
        res as TracedResponse,
      );
    };
  }

  private traceRequest(
    original: Emit,
    scheme: string,
    server: Server,
    req: IncomingMessage,
    res: TracedResponse,
  ): boolean {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = this.tracer.startSpan(req.method ?? 'HTTP', { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) setRequestAttributes(span, req, scheme);
    // route is set by the Express instrumentation: a slot from the start, not a property added later.
    const rpc: HttpRpc = { type: RPCType.HTTP, span, route: undefined };
    res[tracedBy] = rpc;
    const active: Context = requestContext(parent, span, rpc);
    try {
      return context.with(active, emitRequest, undefined, original, server, req, res);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    }
  }
}

/** Emits 'request' on `server`: called so by context.with, no function is bound per request. */
function emitRequest(original: Emit, server: Server, req: IncomingMessage, res: ServerResponse) {
  return original.call(server, 'request', req, res);
}

const set = (span: Span, key: string, value: AttributeValue | undefined) => {
  if (value !== undefined) span.setAttribute(key, value);
};

/**
 * Set on the span once it records, with no object made for them: none of the samplers obskit
 * offers reads attributes. url.query goes in as sent: redaction masks it with every other URL.
 */
function setRequestAttributes(span: Span, req: IncomingMessage, scheme: string): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const host = req.headers.host;
  const colon = host ? host.lastIndexOf(':') : -1;
  const port = host && colon >= 0 && !host.endsWith(']') ? colon : -1;
  set(span, 'http.request.method', req.method);
  set(span, 'url.scheme', scheme);
  set(span, 'url.path', query < 0 ? url : url.slice(0, query));
  set(span, 'server.address', host && port >= 0 ? host.slice(0, port) : host || undefined);
  set(span, 'network.protocol.version', req.httpVersion);
  set(span, 'client.address', req.socket?.remoteAddress);
  set(span, 'network.peer.address', req.socket?.remoteAddress);
  set(span, 'network.peer.port', req.socket?.remotePort);
  set(span, 'user_agent.original', req.headers['user-agent']);
  if (host && port >= 0) span.setAttribute('server.port', Number(host.slice(port + 1)));
  if (query >= 0) span.setAttribute('url.query', url.slice(query + 1));
}

/** http's ServerResponse, which https's servers answer with too. */
const responses = (): ServerResponse =>
  (require('node:http') as typeof import('node:http')).ServerResponse.prototype;

function endSpan(span: Span, req: IncomingMessage, res: ServerResponse, rpc: RPCMetadata): void {
  span.setAttribute('http.response.status_code', res.statusCode);
  if (rpc.type === RPCType.HTTP && rpc.route) {
    span.setAttribute('http.route', rpc.route);
    span.updateName(`${req.method} ${rpc.route}`);
  }
  if (res.statusCode >= 500) {
    span.setAttribute('error.type', String(res.statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (!res.writableFinished) {
    // The client went away before the response was complete.
    span.setAttribute('error.type', 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'response not completed' });
  }
  span.end();
}
