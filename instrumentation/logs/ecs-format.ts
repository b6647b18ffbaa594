// One log record as one line of Elastic Common Schema JSON. The line never holds a raw newline
// or an invalid character, so every transport can frame it and every receiver can parse it.

import { hostname } from 'node:os';
import { format } from 'logform';
import safeStringify from 'safe-stable-stringify';
import { MESSAGE } from 'triple-beam';

/** The ECS version the fields follow. */
export const ecsVersion = '8.11.0';

/** Where the ECS document of a record is kept, for a transport that must cut it to fit. */
export const ECS_DOCUMENT = Symbol.for('obskit.ecs-document');

/** A record on its way through winston: its fields plus winston's symbols. */
export type LogInfo = Record<string | symbol, unknown> & { level: string; message?: unknown };

export interface ServiceFields {
  name: string;
  version?: string;
}

/** Keys winston and obskit set that are not the caller's own fields. */
const reserved = new Set(['level', 'message', 'error', 'err', 'stack', 'trace.id', 'span.id']);

function errorFields(error: unknown): Record<string, string> | undefined {
  if (!(error instanceof Error)) return undefined;
  return {
    type: error.name || error.constructor?.name || 'Error',
    message: error.message,
    stack_trace: error.stack ?? '',
  };
}

function callerFields(info: LogInfo): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(info)) {
    if (!reserved.has(key)) fields[key] = info[key];
  }
  return fields;
}

let sequence = 0;

const objectOr = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;

/** The ECS document of one record; the caller's fields are kept, ours win where names collide. */
export function ecsDocument(info: LogInfo, service: ServiceFields): Record<string, unknown> {
  const error = errorFields(info.error ?? info.err);
  const document: Record<string, unknown> = {
    '@timestamp': new Date().toISOString(),
    'log.level': info.level,
    message: messageText(info.message),
    ...callerFields(info),
    'ecs.version': ecsVersion,
    service: { ...objectOr(info.service), ...service },
    host: { ...objectOr(info.host), name: host },
    process: { ...objectOr(info.process), pid: process.pid },
    // Orders lines of one process, and makes each line unique for idempotent ingestion.
    event: { ...objectOr(info.event), sequence: ++sequence },
  };
  if (info['trace.id']) document.trace = { id: info['trace.id'] };
  if (info['span.id']) document.span = { id: info['span.id'] };
  if (error) document.error = error;
  else if (typeof info.stack === 'string') document.error = { stack_trace: info.stack };
  return document;
}

const host = hostname();

function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === undefined || message === null) return '';
  return typeof message === 'object' ? safeLine(message) : String(message);
}

// A lone surrogate (half of a broken UTF-16 pair) becomes U+FFFD, as invalid UTF-8 does when
// Node decodes it, so the line is valid UTF-8 for every receiver.
const loneSurrogate = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

/** JSON of any value: circular references and BigInts do not throw. */
export function safeLine(value: unknown): string {
  let line: string;
  try {
    line = JSON.stringify(value);
  } catch {
    line = safeStringify(value) ?? '{}';
  }
  return line.includes('\\ud') ? line.replace(loneSurrogate, '$1\\ufffd') : line;
}

/** A message longer than this many UTF-8 bytes is cut (the documented rule). */
export const maxMessageBytes = 256 * 1024;

const cutSuffix = / \[cut: (\d+) bytes\]$/;

/**
 * The document's line, its message cut so that the line takes at most `maxLineBytes`:
 * cut at a character boundary and ended with " [cut: N bytes]", N the original size.
 */
export function lineWithin(document: Record<string, unknown>, maxLineBytes: number): string {
  const line = safeLine(document);
  if (Buffer.byteLength(line) <= maxLineBytes) return line;
  const message = String(document.message);
  const earlierCut = cutSuffix.exec(message);
  const base = earlierCut ? message.slice(0, earlierCut.index) : message;
  const suffix = ` [cut: ${earlierCut ? earlierCut[1] : Buffer.byteLength(message)} bytes]`;
  const room = maxLineBytes - Buffer.byteLength(safeLine({ ...document, message: suffix }));
  document.message = `${longestPrefixWithin(base, room)}${suffix}`;
  return safeLine(document);
}

/** The longest prefix of `text`, whole characters, whose JSON string content takes `bytes`. */
function longestPrefixWithin(text: string, bytes: number): string {
  const size = (end: number) => Buffer.byteLength(safeLine(text.slice(0, end))) - 2;
  let fits = 0;
  let tooLong = text.length + 1;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (size(middle) <= bytes) fits = middle;
    else tooLong = middle;
  }
  // Never end on the first half of a surrogate pair.
  const code = text.charCodeAt(fits - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? fits - 1 : fits);
}

// Escaping makes a line at most 6 bytes per character longer than its message.
const mightBeTooLong = (document: Record<string, unknown>) =>
  String(document.message).length * 3 > maxMessageBytes;

/** The winston format of the obskit logger. */
export const ecsFormat = format((info, options) => {
  const record = info as LogInfo;
  const document = ecsDocument(record, (options as { service: ServiceFields }).service);
  if (mightBeTooLong(document) && Buffer.byteLength(String(document.message)) > maxMessageBytes) {
    const fixed = safeLine({ ...document, message: '' });
    record[MESSAGE] = lineWithin(document, Buffer.byteLength(fixed) + maxMessageBytes);
  } else {
    record[MESSAGE] = safeLine(document);
  }
  record[ECS_DOCUMENT] = document;
  return info;
});
