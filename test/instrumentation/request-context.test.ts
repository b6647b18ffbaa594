// One context per request: the API reads the span and the RPC metadata from it as from the
// two contexts it stands for, and what is set on it later chains on it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContextKey, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { getRPCMetadata, isTracingSuppressed, RPCType, suppressTracing } from '@opentelemetry/core';
import { requestContext } from '../../instrumentation/request-context';

test('the request context holds the span and the RPC metadata over its parent', () => {
  const key = createContextKey('parent value');
  const parent = ROOT_CONTEXT.setValue(key, 'kept');
  const span = trace.wrapSpanContext({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
  });
  const rpc = { type: RPCType.HTTP, span };
  const context = requestContext(parent, span, rpc);
  assert.equal(trace.getSpan(context), span);
  assert.equal(getRPCMetadata(context), rpc);
  assert.equal(context.getValue(key), 'kept');
  const suppressed = suppressTracing(context);
  assert.equal(isTracingSuppressed(suppressed), true);
  assert.equal(trace.getSpan(suppressed), span);
  assert.equal(trace.getSpan(trace.deleteSpan(context)), undefined);
  assert.equal(trace.getSpan(context), span);
});
