// `obskit stack …`: wires the stack's config, installer and lifecycle to the terminal.

import { obskitError } from '../common/errors';
import { numberIn } from '../common/numbers';
import { selectBackends } from '../stack/config';
import { goForBuilds, installStack } from '../stack/install';
import { type BackendStatus, stackDown, stackUp, statusesOf } from '../stack/lifecycle';
import { stackConfigOf } from './topology';

export interface StackOptions {
  json?: boolean;
  only?: string;
  timeout?: string;
  topology?: string;
}

const defaultTimeoutSeconds = 180;

const log = (line: string) => process.stdout.write(`${line}\n`);

export async function runStackCommand(args: string[], options: StackOptions): Promise<number> {
  const [action, ...extra] = args;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  const config = stackConfigOf(options.topology);
  const selected = selectBackends(
    config,
    options.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  switch (action) {
    case 'install':
      await installStack(config, selected, log);
      return 0;
    case 'go':
      // The path alone on stdout, for the Makefile; what obskit did to get it on stderr.
      log(await goForBuilds(config, (line) => process.stderr.write(`${line}\n`)));
      return 0;
    case 'up': {
      const statuses = await stackUp(config, selected, timeoutMs(options.timeout), log);
      log(formatTable(statuses));
      log(`data and logs: ${config.runDir}`);
      return 0;
    }
    case 'down':
      await stackDown(config, selected, log);
      return 0;
    case 'status': {
      const statuses = await statusesOf(config, selected);
      log(options.json ? JSON.stringify(statuses, null, 2) : formatTable(statuses));
      return statuses.every((s) => s.healthy) ? 0 : 1;
    }
    default:
      throw obskitError(
        'OBSKIT_E_USAGE',
        action
          ? `unknown stack action '${action}'`
          : 'stack needs an action: install, up, down, status or go',
      );
  }
}

function timeoutMs(raw: string | undefined): number {
  if (raw === undefined) return defaultTimeoutSeconds * 1000;
  const seconds = numberIn(raw, { min: 0, max: Number.POSITIVE_INFINITY, aboveMin: true });
  if (seconds === undefined) {
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--timeout ${JSON.stringify(raw)} is not a positive number of seconds`,
    );
  }
  return seconds * 1000;
}

/**
 * One row per backend (per member in a cluster); a ROLE column when a member has one, a CLUSTER
 * column (its cluster's health as it sees it) when a member says.
 */
export function formatTable(statuses: BackendStatus[]): string {
  const roles = statuses.some((s) => s.role !== undefined);
  const clusters = statuses.some((s) => s.cluster !== undefined);
  const rows = [
    ['BACKEND', 'VERSION', 'PORT', 'PID', 'HEALTHY']
      .concat(roles ? ['ROLE'] : [], clusters ? ['CLUSTER'] : [])
      .concat('URL'),
    ...statuses.map((s) =>
      [s.name, s.version, String(s.port), s.pid === null ? '-' : String(s.pid)]
        .concat(s.healthy ? 'yes' : 'no')
        .concat(roles ? [s.role ?? '-'] : [], clusters ? [s.cluster ?? '-'] : [])
        .concat(s.url),
    ),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
