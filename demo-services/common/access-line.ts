// The access line both services write for each request or call: one message that says what was
// asked, how it was answered and how fast, with ECS fields and event.duration in nanoseconds.

import { logger } from 'obskit/logger';

export type AccessLevel = 'info' | 'warn' | 'error';

/** Why an answer was a failure: the message it gave, and the error behind a server fault. */
export interface Failure {
  message: string;
  error?: unknown;
}

export interface AccessLine {
  level: AccessLevel;
  message: string;
  fields: Record<string, unknown>;
}

/** `answered` reads as "GET /entities answered 200"; a failure's reason ends the message. */
export function accessLine(
  level: AccessLevel,
  answered: string,
  durationNs: bigint,
  fields: Record<string, unknown>,
  failure?: Failure,
): AccessLine {
  const ms = (Number(durationNs) / 1e6).toFixed(1);
  return {
    level,
    message: `${answered} in ${ms} ms${failure ? `: ${failure.message}` : ''}`,
    fields: {
      ...fields,
      event: { duration: Number(durationNs) },
      ...(failure?.error === undefined ? {} : { error: failure.error }),
    },
  };
}

/** Through the obskit logger, in the caller's context: the line carries its trace.id. */
export function writeAccessLine(line: AccessLine): void {
  logger[line.level](line.message, line.fields);
}
