// One context per request: the request's span and its RPC metadata over the extracted parent,
// in one object, where trace.setSpan and then setRPCMetadata would each copy the parent's Map.

import type { Context } from '@opentelemetry/api';

/** The keys @opentelemetry/api and @opentelemetry/core make with createContextKey (Symbol.for). */
const spanKey = Symbol.for('OpenTelemetry Context Key SPAN');
const rpcMetadataKey = Symbol.for('OpenTelemetry SDK Context Key RPC_METADATA');

/** A context that adds one value to its parent; what is set on it later chains on it. */
class ValueContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    return key === this.key ? this.value : this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new ValueContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new ValueContext(this, key, undefined);
  }
}

class RequestContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly span: unknown,
    private readonly rpc: unknown,
  ) {}

  getValue(key: symbol): unknown {
    if (key === spanKey) return this.span;
    if (key === rpcMetadataKey) return this.rpc;
    return this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new ValueContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    return new ValueContext(this, key, undefined);
  }
}

/** `parent` with `span` as the active span and `rpc` as its RPC metadata. */
export const requestContext = (parent: Context, span: unknown, rpc: unknown): Context =>
  new RequestContext(parent, span, rpc);
