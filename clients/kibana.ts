// Kibana's saved-objects import API, called as `curl --form file=@…` calls it. Kibana answers
// HTTP 200 even when it refuses objects: the result lists each refused object, described here.

import { firstLineOf, obskitError } from '../common/errors';

/** Where Kibana answers and how to sign in. */
export interface KibanaTarget {
  /** Kibana's base URL, ending with '/', without credentials. */
  base: URL;
  /** The same as printed. */
  shown: string;
  authorization?: string;
}

/** One object Kibana did not import (its import API's `errors[]`). */
export interface ImportFailure {
  type: string;
  id: string;
  meta?: { title?: string };
  error: { type: string; message?: string; references?: { type: string; id: string }[] };
}

export interface ImportResult {
  success: boolean;
  successCount: number;
  errors?: ImportFailure[];
}

const timeoutMs = 60_000;

/**
 * POST /api/saved_objects/_import?overwrite=true, multipart with `content` as the file `fileName`;
 * Kibana's answer when it took the request, whether or not it imported every object.
 */
export async function importSavedObjects(
  target: KibanaTarget,
  fileName: string,
  content: string,
): Promise<ImportResult> {
  const { shown } = target;
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'application/ndjson' }), fileName);
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
export function describeFailure(failure: ImportFailure): string {
  const title = failure.meta?.title ? ` "${failure.meta.title}"` : '';
  const { type, message, references } = failure.error;
  const detail = references?.length
    ? references.map((r) => `${r.type} ${r.id}`).join(', ')
    : message && firstLine(message);
  return `Kibana refused ${failure.type} ${failure.id}${title}: ${type}${detail ? `: ${detail}` : ''}`;
}
