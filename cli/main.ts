#!/usr/bin/env node
// obskit's command line: parses arguments, runs one command, turns errors into one line.

import { parseArgs } from 'node:util';
import { ObskitError, obskitError } from './errors';
import { runStackCommand } from './stack-command';

const usage = `usage: obskit <command>

  stack install [--only a,b]          install the local backends (Jaeger, Prometheus, ...)
  stack up [--only a,b] [--timeout s] start them on 127.0.0.1 and wait until healthy
  stack down [--only a,b]             stop what 'stack up' started
  stack status [--json] [--only a,b]  name, port, pid, health and URL of each backend

  --help, --version`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      json: { type: 'boolean' },
      only: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (values.help) return print(usage);
  if (values.version) return print(require('../../package.json').version);
  const [command, ...rest] = positionals;
  if (command === 'stack') return runStackCommand(rest, values);
  throw obskitError(
    'OBSKIT_E_USAGE',
    command ? `unknown command '${command}'` : 'no command given',
  );
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function describe(error: unknown): string {
  if (error instanceof ObskitError) return `obskit: ${error.message} [${error.code}]`;
  const code = (error as { code?: string }).code;
  if (code?.startsWith('ERR_PARSE_ARGS'))
    return `obskit: ${(error as Error).message} (run 'obskit --help' for usage)`;
  return `obskit: unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${describe(error)}\n`);
    process.exitCode = error instanceof ObskitError && error.code === 'OBSKIT_E_USAGE' ? 2 : 1;
  },
);
