// `obskit slo generate | check`: the SLO rules file from the SLO spec, and the test that the
// committed file is what the spec gives.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateSloRules, type SloSpec } from '../collectors/prometheus/src/slo';
import { firstLineOf, obskitError } from '../common/errors';
import { isCurrent, shownPath, writeGenerated } from '../common/generated-files';
import { packageRoot } from '../common/package-root';
import { parseOptions } from './options';

/** It takes no option. */
export const sloOptions = {} as const;

function paths() {
  const prometheus = join(packageRoot(), 'collectors', 'prometheus');
  return { spec: join(prometheus, 'slo.yml'), rules: join(prometheus, 'rules', 'slo.yml') };
}

function readSpecs(file: string): SloSpec[] {
  let parsed: { slos?: SloSpec[] };
  try {
    parsed = parse(readFileSync(file, 'utf8')) as { slos?: SloSpec[] };
  } catch (error) {
    throw obskitError('OBSKIT_E_SLO_SPEC', `${file}: ${firstLineOf(error)}`);
  }
  if (!Array.isArray(parsed?.slos))
    throw obskitError('OBSKIT_E_SLO_SPEC', `${file} has no 'slos:' list`);
  return parsed.slos;
}

export function runSloCommand(argv: string[]): number {
  const [action, ...extra] = parseOptions(argv, sloOptions).positionals;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  const { spec, rules } = paths();
  const expected = generateSloRules(readSpecs(spec));
  const shown = shownPath(rules);
  switch (action) {
    case 'generate':
      writeGenerated(rules, expected);
      process.stdout.write(`wrote ${shown}\n`);
      return 0;
    case 'check':
      if (!isCurrent(rules, expected))
        throw obskitError('OBSKIT_E_SLO_STALE', shown, shownPath(spec));
      process.stdout.write(`${shown} is up to date\n`);
      return 0;
    default:
      throw obskitError(
        'OBSKIT_E_USAGE',
        action ? `unknown slo action '${action}'` : 'slo needs an action: generate or check',
      );
  }
}
