// `obskit dashboards generate | check | import`: the Grafana dashboards and the Kibana saved
// objects from their TypeScript source (dashboards/grafana/src, dashboards/kibana/src), the test
// that the committed files are what the source gives, and the import of the saved objects into
// a Kibana (clients/kibana.ts), their links first pointed at the port compose publishes.

import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dashboardsDirOf } from '../clients/grafana/provisioning';
import { describeFailure, importSavedObjects, type KibanaTarget } from '../clients/kibana';
import { obskitError } from '../common/errors';
import { isCurrent, shownPath, writeGenerated } from '../common/generated-files';
import { packageRoot } from '../common/package-root';
import { withUiPort } from '../dashboards/kibana/src/links';
import { parseOptions } from './options';

export const dashboardsOptions = {
  kibana: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
} as const;

interface ImportOptions {
  kibana?: string;
  user?: string;
  password?: string;
}

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

export async function runDashboardsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, dashboardsOptions);
  const [action, ...extra] = positionals;
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

async function runKibanaImport(
  file: string,
  values: ImportOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const target = targetOf(values, env);
  const { shown } = target;
  const { content, objects } = readSavedObjects(file);
  // The links open the UIs on the port compose publishes Traefik on.
  const rendered = withUiPort(content, env.OBSKIT_PORT_TRAEFIK_WEB);
  const result = await importSavedObjects(target, basename(file), rendered);
  if (!result.success) {
    const failures = result.errors ?? [];
    for (const failure of failures) process.stderr.write(`obskit: ${describeFailure(failure)}\n`);
    const total = objects.length;
    throw obskitError('OBSKIT_E_KIBANA_REFUSED', failures.length || total, total, shown);
  }
  const dashboard = objects.find((object) => object.type === 'dashboard');
  const opened = dashboard ? `; the dashboard: ${shown}/app/dashboards#/view/${dashboard.id}` : '';
  process.stdout.write(
    `imported ${result.successCount} saved objects into Kibana at ${shown}${opened}\n`,
  );
  return 0;
}

/** Kibana's URL and credentials: flags first, then the environment, then the URL's own user info. */
function targetOf(values: ImportOptions, env: NodeJS.ProcessEnv): KibanaTarget {
  if (!values.kibana)
    throw obskitError('OBSKIT_E_USAGE', "'dashboards import' needs --kibana <Kibana's URL>");
  const base = URL.canParse(values.kibana) ? new URL(values.kibana) : undefined;
  // The value is not echoed: it may hold a password.
  if (base?.protocol !== 'http:' && base?.protocol !== 'https:')
    throw obskitError(
      'OBSKIT_E_USAGE',
      '--kibana needs an http(s) URL such as http://localhost:5601',
    );
  const user = values.user || env.OBSKIT_KIBANA_USER || decodeURIComponent(base.username);
  const password =
    values.password || env.OBSKIT_KIBANA_PASSWORD || decodeURIComponent(base.password);
  // fetch refuses credentials in a URL; they go in the header and are never printed.
  base.username = '';
  base.password = '';
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  if (Boolean(user) !== Boolean(password))
    throw obskitError(
      'OBSKIT_E_USAGE',
      user
        ? 'a Kibana user needs its password: --password or OBSKIT_KIBANA_PASSWORD'
        : 'a Kibana password needs its user: --user or OBSKIT_KIBANA_USER',
    );
  const authorization = user
    ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    : undefined;
  return { base, shown: base.href.replace(/\/$/, ''), authorization };
}

/** The file as sent, and its objects' types and ids. */
function readSavedObjects(file: string) {
  try {
    const content = readFileSync(file, 'utf8');
    const objects = content
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; id: string });
    return { content, objects };
  } catch {
    throw obskitError(
      'OBSKIT_E_PREREQUISITE',
      `${file} cannot be read`,
      "run 'obskit dashboards generate' in a clone of the obskit repository",
    );
  }
}
