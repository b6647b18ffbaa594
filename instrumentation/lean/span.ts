// obskit's recording span: the fields of one operation, its attributes in flat key/value
// slots, handed to its tracer's end hook once; no SDK object, nothing kept after that.

import { performance } from 'node:perf_hooks';
import {
  type Attributes,
  type AttributeValue,
  diag,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import { isAttributeValue } from '@opentelemetry/core';
import { eventOf, exceptionAttributes, type LeanEvent, linkOf } from './events';
import { spanLimits } from './limits';
import { epochMs, type SpanClock } from './time';

/** What a span needs of its tracer: its scope's index and what to do when it ends. */
export interface SpanOwner {
  readonly scope: number;
  ended(span: LeanSpan): void;
}

/** Room for 16 attributes before the slots grow: a server span has about 13. */
const initialSlots = 32;

/** At the limit, drops a list's oldest item as the SDK does (a debug line the first time). */
function makeRoom(list: unknown[], limit: number, dropped: number, what: string): boolean {
  if (list.length < limit) return false;
  if (dropped === 0) diag.debug(`Dropping extra ${what}.`);
  list.shift();
  return true;
}

const isTime = (value: unknown): value is TimeInput =>
  typeof value === 'number' || value instanceof Date || Array.isArray(value);

export class LeanSpan implements Span, SpanClock {
  /** Attribute keys and values, alternating, in the first `slotCount` places: one array per span. */
  slots: unknown[] = new Array(initialSlots);
  slotCount = 0;
  droppedAttributes = 0;
  events: LeanEvent[] | undefined;
  droppedEvents = 0;
  links: Link[] | undefined;
  droppedLinks = 0;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage: string | undefined;
  startMs = Date.now();
  perfStart = performance.now();
  startProvided = false;
  durationMs = 0;
  ended = false;

  constructor(
    readonly owner: SpanOwner,
    readonly context: SpanContext,
    public name: string,
    readonly kind: SpanKind,
    readonly parent: SpanContext | undefined,
    startTime: TimeInput | undefined,
  ) {
    if (startTime != null) {
      this.startMs = epochMs(this, startTime);
      this.startProvided = true;
    }
  }

  spanContext(): SpanContext {
    return this.context;
  }

  /** The value of attribute `key`, if set. */
  attribute(key: string): unknown {
    const slots = this.slots;
    for (let i = 0; i < this.slotCount; i += 2) if (slots[i] === key) return slots[i + 1];
    return undefined;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (value == null || this.isEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const kept = Array.isArray(value) ? value.slice() : value;
    const slots = this.slots;
    const count = this.slotCount;
    for (let i = 0; i < count; i += 2) {
      if (slots[i] === key) {
        slots[i + 1] = kept;
        return this;
      }
    }
    if (count >= 2 * spanLimits.attributeCount) {
      this.droppedAttributes++;
      return this;
    }
    slots[count] = key;
    slots[count + 1] = kept;
    this.slotCount = count + 2;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key] as AttributeValue);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.isEnded()) return this;
    this.events ??= [];
    const events = this.events;
    if (makeRoom(events, spanLimits.eventCount, this.droppedEvents, 'events')) this.droppedEvents++;
    let attributes = attributesOrTime as Attributes | undefined;
    if (isTime(attributesOrTime)) {
      if (!isTime(time)) time = attributesOrTime;
      attributes = undefined;
    }
    events.push(eventOf(name, attributes, epochMs(this, time)));
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    this.links ??= [];
    const links = this.links;
    if (makeRoom(links, spanLimits.linkCount, this.droppedLinks, 'links')) this.droppedLinks++;
    links.push(linkOf(link));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.isEnded() || status.code === SpanStatusCode.UNSET) return this;
    if (this.statusCode === SpanStatusCode.OK) return this;
    this.statusCode = status.code;
    this.statusMessage = undefined;
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') this.statusMessage = status.message;
      else if (status.message != null)
        diag.warn(
          `Dropping invalid status.message of type '${typeof status.message}', expected 'string'`,
        );
    }
    return this;
  }

  updateName(name: string): this {
    if (!this.isEnded()) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(
        `${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    this.durationMs = epochMs(this, endTime) - this.startMs;
    if (this.durationMs < 0) {
      diag.warn(
        'Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.',
      );
      this.durationMs = 0;
    }
    if (this.droppedEvents > 0)
      diag.warn(`Dropped ${this.droppedEvents} events because eventCountLimit reached`);
    if (this.droppedLinks > 0)
      diag.warn(`Dropped ${this.droppedLinks} links because linkCountLimit reached`);
    this.ended = true;
    this.owner.ended(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes = exceptionAttributes(exception);
    if (attributes) this.addEvent('exception', attributes, time);
  }

  private isEnded(): boolean {
    if (this.ended)
      diag.warn(
        `Cannot execute the operation on ended Span {traceId: ${this.context.traceId}, spanId: ${this.context.spanId}}`,
      );
    return this.ended;
  }
}
