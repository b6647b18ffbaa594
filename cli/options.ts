// The command line's options: the one parser every command calls (node's parse errors made
// obskit's one-line usage errors), the --help and --version any command line may ask for, and
// the option tables of the commands whose modules keep none (stack, demo).

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { obskitError } from '../common/errors';
import { topologyOption } from './topology';

export type OptionTable = NonNullable<ParseArgsConfig['options']>;

export type Parsed<T extends OptionTable> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** `obskit stack …` and `obskit demo …`, by command. */
export const commandOptions = {
  stack: {
    json: { type: 'boolean' },
    only: { type: 'string' },
    timeout: { type: 'string' },
    ...topologyOption,
  },
  demo: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    replicas: { type: 'string' },
  },
} as const satisfies Record<string, OptionTable>;

/**
 * A command's arguments by its table. node's own parse errors change wording between versions;
 * ours name the option and stay put.
 */
export function parseOptions<T extends OptionTable>(args: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(-[^' ]*)/.exec(String((error as Error).message))?.[1] ?? '';
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw obskitError('OBSKIT_E_USAGE', `unknown option '${option}'`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw obskitError('OBSKIT_E_USAGE', `option '${option}' needs a value`);
    }
    throw error;
  }
}

/** --help (-h) or --version anywhere before a `--`, whatever command the line names. */
export function globalFlagOf(args: string[]): 'help' | 'version' | undefined {
  const { tokens } = parseArgs({ args, strict: false, allowPositionals: true, tokens: true });
  const names = new Set(tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
  if (names.has('help') || names.has('h')) return 'help';
  return names.has('version') ? 'version' : undefined;
}
