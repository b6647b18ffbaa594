// `obskit dashboards generate | check | import`: the Grafana dashboards and the Kibana saved
// objects from their TypeScript source (dashboards/grafana/src, dashboards/kibana/src), the test
// that the committed files are what the source gives, and the import of the saved objects into
// a Kibana (kibana-import.ts).

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../common/errors';
import { isCurrent, shownPath, writeGenerated } from '../common/generated-files';
import { packageRoot } from '../common/package-root';
import { dashboardsDirOf } from './grafana/provisioning';
import { type ImportOptions, runKibanaImport } from './kibana-import';

const dashboardsDir = () => dashboardsDirOf(packageRoot());
export const kibanaDir = () => join(packageRoot(), 'dashboards', 'kibana');
/** The file the saved objects are generated into, and imported from. */
export const kibanaFile = 'obskit.ndjson';

/** Files generated from one source into one folder; others there of their extension are stale. */
export interface GeneratedSet {
  /** What the files hold, for the one line a command prints: "5 dashboards". */
  what: string;
  dir: string;
  extension: string;
  files: Map<string, string>;
}

/**
 * A source, loaded only to generate or check: the Grafana builder SDK is a development
 * dependency, and the package ships neither source.
 */
async function loadSource<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw obskitError(
      'OBSKIT_E_PREREQUISITE',
      'building dashboards needs the development dependencies',
      "run 'npm install' in a clone of the obskit repository",
    );
  }
}

async function grafanaDashboards(): Promise<GeneratedSet> {
  const { dashboards, dashboardJson } = await loadSource(
    () => import('../dashboards/grafana/src/index.js'),
  );
  const files = new Map(
    Object.entries(dashboards).map(([file, build]) => [file, dashboardJson(build())]),
  );
  return { what: `${files.size} dashboards`, dir: dashboardsDir(), extension: '.json', files };
}

async function kibanaSavedObjects(): Promise<GeneratedSet> {
  const { savedObjects, ndjson } = await loadSource(
    () => import('../dashboards/kibana/src/index.js'),
  );
  const objects = savedObjects();
  return {
    what: `${objects.length} Kibana saved objects`,
    dir: kibanaDir(),
    extension: '.ndjson',
    files: new Map([[kibanaFile, ndjson(objects)]]),
  };
}

const leftovers = (set: GeneratedSet) => {
  try {
    return readdirSync(set.dir).filter((f) => f.endsWith(set.extension) && !set.files.has(f));
  } catch {
    return [];
  }
};

/** The committed files that differ from what the source gives, and those it no longer gives. */
export function staleFiles(set: GeneratedSet): string[] {
  const stale = [...set.files]
    .filter(([file, content]) => !isCurrent(join(set.dir, file), content))
    .map(([file]) => file);
  return [...stale, ...leftovers(set)].map((file) => shownPath(join(set.dir, file)));
}

export function writeSet(set: GeneratedSet): void {
  mkdirSync(set.dir, { recursive: true });
  const old = leftovers(set);
  for (const [file, content] of set.files) writeGenerated(join(set.dir, file), content);
  for (const file of old) rmSync(join(set.dir, file));
}

const described = (sets: GeneratedSet[]) =>
  sets.map((set) => `${set.what} in ${shownPath(set.dir)}`).join(' and ');

export async function runDashboardsCommand(args: string[], values: ImportOptions): Promise<number> {
  const [action, ...extra] = args;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  if (action === 'import') return runKibanaImport(join(kibanaDir(), kibanaFile), values);
  if (action !== 'generate' && action !== 'check') {
    throw obskitError(
      'OBSKIT_E_USAGE',
      action
        ? `unknown dashboards action '${action}'`
        : 'dashboards needs an action: generate, check or import',
    );
  }
  const sets = [await grafanaDashboards(), await kibanaSavedObjects()];
  if (action === 'generate') {
    for (const set of sets) writeSet(set);
    process.stdout.write(`wrote ${described(sets)}\n`);
    return 0;
  }
  const stale = sets.flatMap(staleFiles);
  if (stale.length > 0) throw obskitError('OBSKIT_E_DASHBOARDS_STALE', stale.join(', '));
  process.stdout.write(`${described(sets)} are up to date\n`);
  return 0;
}
