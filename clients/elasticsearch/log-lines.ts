// One ECS log document as one terminal line, as `obskit trace` and `obskit logs search` print
// them: time, level, service, message and trace.id, coloured by level on a terminal.

import { styleText } from 'node:util';

export type LogDocument = Record<string, unknown>;

/** ECS fields arrive nested or dotted, depending on who wrote the document. */
export function fieldOf(doc: LogDocument, path: string): unknown {
  if (path in doc) return doc[path];
  const [head = '', ...rest] = path.split('.');
  const inner = doc[head];
  if (rest.length === 0 || !inner || typeof inner !== 'object')
    return rest.length ? undefined : inner;
  return fieldOf(inner as LogDocument, rest.join('.'));
}

const levelStyles: Record<string, Parameters<typeof styleText>[0]> = {
  error: 'red',
  warn: 'yellow',
  info: 'green',
  debug: 'gray',
};

/** Colour only where a person reads it: a terminal, and NO_COLOR unset. */
export const wantsColour = (stream: NodeJS.WriteStream) =>
  Boolean(stream.isTTY) && !('NO_COLOR' in process.env);

export function formatLogLine(doc: LogDocument, colour: boolean, withTrace = true): string {
  const level = String(fieldOf(doc, 'log.level') ?? '');
  const shownLevel = level.padEnd(5);
  const style = levelStyles[level];
  const trace =
    withTrace && fieldOf(doc, 'trace.id') ? `  trace.id=${fieldOf(doc, 'trace.id')}` : '';
  return [
    `  ${fieldOf(doc, '@timestamp')}  `,
    colour && style ? styleText(style, shownLevel) : shownLevel,
    `  ${fieldOf(doc, 'service.name') ?? ''}: ${fieldOf(doc, 'message')}${trace}`,
  ].join('');
}
