// Express 4 and 5: names the HTTP server span after the matched route template
// (`GET /entities/:id`, mount paths included) and sets http.route, without a span per layer.
// It patches two methods at registration time — Router#use for mounts, Route#dispatch for the
// match — where @opentelemetry/instrumentation-express wraps every layer of every request.

import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import { obskitVersion } from './version';

type Handler = (req: unknown, res: unknown, next: (error?: unknown) => void) => unknown;

interface Layer {
  handle_request?: Handler;
  handleRequest?: Handler;
}

interface Router {
  stack: Layer[];
  use: (...args: unknown[]) => unknown;
}

interface ExpressExports {
  Router: { prototype?: Router } & Partial<Router>;
  Route: { prototype: { path: unknown; dispatch: Handler } };
}

type TemplatedRequest = { [mountTemplates]?: string[] };

/** The mount paths of the routers a request is inside, outermost first. */
const mountTemplates = Symbol('obskit.express.mounts');

const asTemplate = (path: unknown) => (Array.isArray(path) ? path.join('|') : String(path));

export class ExpressRouteInstrumentation extends InstrumentationBase {
  constructor() {
    super('obskit-express-route', obskitVersion, {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'express',
      ['>=4.0.0 <6'],
      (exports: ExpressExports) => {
        this._wrap(routerMethods(exports), 'use', trackMounts);
        this._wrap(exports.Route.prototype, 'dispatch', nameSpanAfterRoute);
        return exports;
      },
      (exports: ExpressExports) => {
        this._unwrap(routerMethods(exports), 'use');
        this._unwrap(exports.Route.prototype, 'dispatch');
      },
    );
  }
}

/** Express 5 routers are instances of a class; Express 4's inherit from the Router function. */
function routerMethods(exports: ExpressExports): Router {
  return (
    typeof exports.Router.prototype?.use === 'function' ? exports.Router.prototype : exports.Router
  ) as Router;
}

function trackMounts(original: Router['use']): Router['use'] {
  return function use(this: Router, ...args: unknown[]) {
    const before = this.stack.length;
    const result = original.apply(this, args);
    const path = typeof args[0] === 'function' ? '/' : asTemplate(args[0]);
    if (path !== '/') {
      for (const layer of this.stack.slice(before)) enterMount(layer, path);
    }
    return result;
  };
}

/** Records the mount path while a request is inside the mounted router or app. */
function enterMount(layer: Layer, template: string): void {
  const method = layer.handleRequest ? 'handleRequest' : 'handle_request';
  const original = layer[method];
  if (!original) return;
  layer[method] = function (this: Layer, req, res, next) {
    const request = req as TemplatedRequest;
    const templates = request[mountTemplates] ?? [];
    request[mountTemplates] = templates;
    templates.push(template);
    return original.call(this, req, res, (error?: unknown) => {
      templates.pop();
      next(error);
    });
  };
}

/** `router.get('/')` under `/entities` matches `/entities`, and is named so. */
const routeOf = (mounts: string[], template: string) =>
  mounts.join('') + (mounts.length > 0 && template === '/' ? '' : template);

function nameSpanAfterRoute(original: Handler): Handler {
  return function dispatch(this: { path: unknown }, req, res, next) {
    const rpc = getRPCMetadata(context.active());
    if (rpc?.type === RPCType.HTTP) {
      const mounts = (req as TemplatedRequest)[mountTemplates];
      const template = asTemplate(this.path);
      // The HTTP instrumentation turns this into http.route and the span name at the response.
      rpc.route = mounts ? routeOf(mounts, template) : template;
    }
    return original.call(this, req, res, next);
  };
}
