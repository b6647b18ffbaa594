// obskit's tracer and tracer provider for the recording case, behind @opentelemetry/api: the
// SDK's sampling decision and parent rules, fast IDs, a LeanSpan where the SDK makes a SpanImpl.

import {
  type Attributes,
  context as api,
  type Context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type Link,
  SamplingDecision,
  type Span,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type InstrumentationScope, isTracingSuppressed } from '@opentelemetry/core';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { linkOf } from './events';
import { newSpanId, newTraceId } from './ids';
import { LeanSpan, type SpanOwner } from './span';

const noAttributes: Attributes = Object.freeze({});
const noLinks: Link[] = Object.freeze([]) as unknown as Link[];

export class LeanTracer implements Tracer, SpanOwner {
  constructor(
    readonly scope: number,
    private readonly sampler: Sampler,
    readonly ended: (span: LeanSpan) => void,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, context: Context = api.active()): Span {
    if (options.root) context = trace.deleteSpan(context);
    if (isTracingSuppressed(context)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = trace.getSpan(context)?.spanContext();
    const spanId = newSpanId();
    const valid = parent !== undefined && isSpanContextValid(parent);
    const traceId = valid ? parent.traceId : newTraceId();
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ? options.links.map(linkOf) : noLinks;
    const attributes = options.attributes ?? noAttributes;
    const result = this.sampler.shouldSample(context, traceId, name, kind, attributes, links);
    const spanContext = {
      traceId,
      spanId,
      traceFlags:
        result.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      traceState: result.traceState ?? (valid ? parent.traceState : undefined),
    };
    if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    const span = new LeanSpan(
      this,
      spanContext,
      name,
      kind,
      valid ? parent : undefined,
      options.startTime,
    );
    if (links.length > 0) span.links = links;
    if (options.attributes) span.setAttributes(options.attributes);
    if (result.attributes) span.setAttributes(result.attributes);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : undefined;
    const parent = (args.length > 2 ? (args[1] as Context | undefined) : undefined) ?? api.active();
    const span = this.startSpan(name, options, parent);
    const run = fn as (span: Span) => ReturnType<F>;
    return api.with(trace.setSpan(parent, span), run, undefined, span);
  }
}

/** One tracer per scope, as the SDK's provider keeps them; each scope gets an index. */
export class LeanTracerProvider implements TracerProvider {
  readonly scopes: InstrumentationScope[] = [];
  private readonly tracers = new Map<string, LeanTracer>();

  constructor(
    private readonly sampler: Sampler,
    private readonly ended: (span: LeanSpan) => void,
  ) {}

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (!tracer) {
      this.scopes.push({ name, version, schemaUrl: options?.schemaUrl });
      tracer = new LeanTracer(this.scopes.length - 1, this.sampler, this.ended);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }
}
