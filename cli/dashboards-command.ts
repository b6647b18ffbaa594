// `obskit dashboards generate | check`: the Grafana dashboards from their TypeScript source
// (dashboards/grafana/src), and the test that the committed JSON is what the source gives.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveStackConfig } from '../stack/config';
import { obskitError } from './errors';
import { isCurrent, shownPath, writeGenerated } from './generated-files';

export const dashboardsDir = () =>
  join(resolveStackConfig().packageRoot, 'dashboards', 'grafana', 'dashboards');

/** Each file's expected content; the builder SDK is a development dependency, loaded only here. */
async function expectedFiles(): Promise<Map<string, string>> {
  let source: typeof import('../dashboards/grafana/src/index.js');
  try {
    source = await import('../dashboards/grafana/src/index.js');
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw obskitError(
      'OBSKIT_E_PREREQUISITE',
      'building dashboards needs the development dependencies',
      "run 'npm install' in a clone of the obskit repository",
    );
  }
  const { dashboards, dashboardJson } = source;
  return new Map(Object.entries(dashboards).map(([file, build]) => [file, dashboardJson(build())]));
}

const committedFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
};

export async function runDashboardsCommand(args: string[]): Promise<number> {
  const [action, ...extra] = args;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  if (action !== 'generate' && action !== 'check') {
    throw obskitError(
      'OBSKIT_E_USAGE',
      action
        ? `unknown dashboards action '${action}'`
        : 'dashboards needs an action: generate or check',
    );
  }
  const dir = dashboardsDir();
  const expected = await expectedFiles();
  const leftovers = committedFiles(dir).filter((file) => !expected.has(file));
  if (action === 'generate') {
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of expected) writeGenerated(join(dir, file), content);
    for (const file of leftovers) rmSync(join(dir, file));
    process.stdout.write(`wrote ${expected.size} dashboards in ${shownPath(dir)}\n`);
    return 0;
  }
  const stale = [...expected]
    .filter(([file, content]) => !isCurrent(join(dir, file), content))
    .map(([file]) => file);
  if (stale.length + leftovers.length > 0)
    throw obskitError(
      'OBSKIT_E_DASHBOARDS_STALE',
      [...stale, ...leftovers].join(', '),
      shownPath(dir),
    );
  process.stdout.write(`${expected.size} dashboards in ${shownPath(dir)} are up to date\n`);
  return 0;
}
