// A span's events and links as the SDK keeps them: sanitised attributes within their limits,
// and the exception event's attributes.

import { type Attributes, diag, type Exception, type Link } from '@opentelemetry/api';
import { sanitizeAttributes } from '@opentelemetry/core';
import { spanLimits } from './limits';

export interface LeanEvent {
  name: string;
  attributes: Attributes;
  /** Epoch ms. */
  timeMs: number;
  droppedAttributesCount: number;
}

/** The valid attributes of `input`, the first `limit` of them, and how many were left out. */
function limited(input: Attributes | undefined, limit: number): [Attributes, number] {
  const sanitized = sanitizeAttributes(input);
  const attributes: Attributes = {};
  let count = 0;
  let dropped = 0;
  for (const key in sanitized) {
    if (!Object.hasOwn(sanitized, key)) continue;
    if (count >= limit) {
      dropped++;
      continue;
    }
    const value = sanitized[key];
    attributes[key] = Array.isArray(value) ? value.slice() : value;
    count++;
  }
  return [attributes, dropped];
}

export function eventOf(name: string, input: Attributes | undefined, timeMs: number): LeanEvent {
  const [attributes, droppedAttributesCount] = limited(input, spanLimits.attributesPerEvent);
  return { name, attributes, timeMs, droppedAttributesCount };
}

export function linkOf(link: Link): Link {
  const [attributes, dropped] = limited(link.attributes, spanLimits.attributesPerLink);
  const kept: Link = { context: link.context };
  if (Object.keys(attributes).length > 0) kept.attributes = attributes;
  if (dropped > 0) kept.droppedAttributesCount = dropped;
  return kept;
}

/** The `exception` event's attributes, or undefined (with the SDK's warning) when there are none. */
export function exceptionAttributes(exception: Exception): Attributes | undefined {
  const attributes: Attributes = {};
  if (typeof exception === 'string') {
    attributes['exception.message'] = exception;
  } else if (exception) {
    if (exception.code) attributes['exception.type'] = exception.code.toString();
    else if (exception.name) attributes['exception.type'] = exception.name;
    if (exception.message) attributes['exception.message'] = exception.message;
    if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
  }
  if (attributes['exception.type'] || attributes['exception.message']) return attributes;
  diag.warn(`Failed to record an exception ${exception}`);
  return undefined;
}
