// `obskit dashboards import --kibana <url>`: the saved objects of dashboards/kibana/obskit.ndjson
// sent to Kibana's import API as `curl --form file=@…` sends them; Kibana answers HTTP 200 even
// when it refuses objects, so each refused object is named on a line of its own.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { firstLineOf, obskitError } from '../common/errors';
import { withUiPort } from '../dashboards/kibana/src/links';

export interface ImportOptions {
  kibana?: string;
  user?: string;
  password?: string;
}

interface Target {
  /** Kibana's base URL, ending with '/', without credentials. */
  base: URL;
  /** The same as printed. */
  shown: string;
  authorization?: string;
}

/** One object Kibana did not import (its import API's `errors[]`). */
interface ImportFailure {
  type: string;
  id: string;
  meta?: { title?: string };
  error: { type: string; message?: string; references?: { type: string; id: string }[] };
}

interface ImportResult {
  success: boolean;
  successCount: number;
  errors?: ImportFailure[];
}

const timeoutMs = 60_000;

export async function runKibanaImport(
  file: string,
  values: ImportOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const target = targetOf(values, env);
  const { shown } = target;
  const { content, objects } = readSavedObjects(file);
  // The links open the UIs on the port compose publishes Traefik on.
  const rendered = withUiPort(content, env.OBSKIT_PORT_TRAEFIK_WEB);
  const result = await postImport(target, file, rendered);
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
function targetOf(values: ImportOptions, env: NodeJS.ProcessEnv): Target {
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

/** POST /api/saved_objects/_import?overwrite=true, multipart with the file as `file`. */
async function postImport(target: Target, file: string, content: string): Promise<ImportResult> {
  const { shown } = target;
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'application/ndjson' }), basename(file));
  const headers: Record<string, string> = { 'kbn-xsrf': 'true' };
  if (target.authorization) headers.authorization = target.authorization;
  const url = new URL('api/saved_objects/_import?overwrite=true', target.base);
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: form,
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: Error) => {
    const reason = (error.cause as Error | undefined)?.message ?? firstLineOf(error);
    throw obskitError('OBSKIT_E_KIBANA_UNREACHABLE', shown, reason);
  });
  const body = (await response.json().catch(() => undefined)) as
    | (Partial<ImportResult> & { message?: string })
    | undefined;
  if (response.status === 401)
    throw obskitError(
      'OBSKIT_E_KIBANA_AUTH',
      shown,
      target.authorization
        ? 'refused the credentials (HTTP 401)'
        : 'asks for credentials (HTTP 401)',
    );
  if (response.status === 403)
    throw obskitError('OBSKIT_E_KIBANA_AUTH', shown, 'refused the import to this user (HTTP 403)');
  if (!response.ok)
    throw obskitError('OBSKIT_E_KIBANA_IMPORT', shown, httpProblem(response.status, body?.message));
  if (typeof body?.success !== 'boolean')
    throw obskitError('OBSKIT_E_KIBANA_IMPORT', shown, 'its answer is not an import result');
  return body as ImportResult;
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 200);

const httpProblem = (status: number, message: string | undefined) =>
  message ? `HTTP ${status}: ${firstLine(message)}` : `HTTP ${status}`;

/** e.g. `Kibana refused lens obskit-lines-per-host "[obskit] Lines per host": missing_references: index-pattern x` */
function describeFailure(failure: ImportFailure): string {
  const title = failure.meta?.title ? ` "${failure.meta.title}"` : '';
  const { type, message, references } = failure.error;
  const detail = references?.length
    ? references.map((r) => `${r.type} ${r.id}`).join(', ')
    : message && firstLine(message);
  return `Kibana refused ${failure.type} ${failure.id}${title}: ${type}${detail ? `: ${detail}` : ''}`;
}
