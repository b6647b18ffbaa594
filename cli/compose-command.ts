// `obskit compose generate | check`: the configs compose/cluster.yml mounts, from the
// collectors/ files they list every member in, and the test that the committed ones are current.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { obskitError } from '../common/errors';
import { isCurrent, shownPath, writeGenerated } from '../common/generated-files';
import { packageRoot } from '../common/package-root';
import { backends } from '../stack/backends';
import { composeClusterFiles } from '../stack/compose-cluster';
import { parseOptions } from './options';

/** It takes no option. */
export const composeOptions = {} as const;

export function runComposeCommand(argv: string[]): number {
  const [action, ...extra] = parseOptions(argv, composeOptions).positionals;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  const root = packageRoot();
  const files = composeClusterFiles(root, backends).map((f) => ({
    ...f,
    shown: shownPath(join(root, f.file)),
  }));
  switch (action) {
    case 'generate':
      for (const f of files) {
        mkdirSync(dirname(join(root, f.file)), { recursive: true });
        writeGenerated(join(root, f.file), f.content);
        process.stdout.write(`wrote ${f.shown}\n`);
      }
      return 0;
    case 'check': {
      const stale = files.filter((f) => !isCurrent(join(root, f.file), f.content));
      if (stale.length > 0)
        throw obskitError('OBSKIT_E_COMPOSE_STALE', stale.map((f) => f.shown).join(', '));
      for (const f of files) process.stdout.write(`${f.shown} is up to date\n`);
      return 0;
    }
    default:
      throw obskitError(
        'OBSKIT_E_USAGE',
        action
          ? `unknown compose action '${action}'`
          : 'compose needs an action: generate or check',
      );
  }
}
