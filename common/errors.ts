// Every error obskit reports to a user: one code, one line naming the problem and the fix.
// Neutral: cli/ and stack/ import it from below; it imports nothing of obskit.

export class ObskitError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ObskitError';
  }
}

const catalogue = {
  OBSKIT_E_USAGE: (detail: string) => `${detail} (run 'obskit --help' for usage)`,
  OBSKIT_E_BAD_ENV: (name: string, value: string, expected: string) =>
    `${name}=${JSON.stringify(value)} is not ${expected}; unset it or fix its value`,
  OBSKIT_E_UNKNOWN_BACKEND: (name: string, known: string) =>
    `unknown backend '${name}'; choose from: ${known}`,
  OBSKIT_E_PORT_TAKEN: (port: number, backend: string, env: string) =>
    `port ${port} for ${backend} is already in use; stop what listens there or set ${env} to a free port`,
  OBSKIT_E_NOT_INSTALLED: (backend: string) =>
    `${backend} is not installed; run 'obskit stack install' first`,
  OBSKIT_E_UNHEALTHY: (names: string, logDir: string) =>
    `not healthy before the deadline: ${names}; see the logs in ${logDir}`,
  OBSKIT_E_INSTALL_FAILED: (names: string) =>
    `install failed for: ${names}; the lines above name each command and its fix, the rest is installed`,
  OBSKIT_E_NEEDS_ROOT: (command: string, rest: string) =>
    `not root and no passwordless sudo for apt-get: run '${command}', then run obskit again${rest}`,
  OBSKIT_E_PREREQUISITE: (what: string, fix: string) => `${what}; ${fix}`,
  OBSKIT_E_MISSING_MODULE: (name: string) =>
    `cannot load '${name}', which obskit needs: install obskit again with its dependencies (npm install obskit)`,
  OBSKIT_E_ES_SETUP: (file: string, reason: string) =>
    `could not apply ${file} to Elasticsearch: ${reason}; fix the file or look at the Elasticsearch log in the run directory`,
  OBSKIT_E_ES_UNREACHABLE: (url: string, reason: string) =>
    `Elasticsearch at ${url} did not answer (${reason}); start it with 'obskit stack up --only elasticsearch'`,
  OBSKIT_E_DEMO_SERVICE: (detail: string, logDir: string) =>
    `a demo service did not start (${detail}); see its log in ${logDir}`,
  OBSKIT_E_DEMO_EDGE: (edgeUrl: string, seconds: number, logDir: string) =>
    `Traefik at ${edgeUrl} did not route to the gateway's /health within ${seconds} s; check traefik and etcd in \`obskit stack status\`, and the gateway's log in ${logDir}`,
  OBSKIT_E_BAD_TRACE_ID: (given: string) =>
    `'${given.slice(0, 80)}' is not a trace ID; give the 32 hexadecimal characters of a log line's trace.id or a traceparent header`,
  OBSKIT_E_JAEGER_UNREACHABLE: (url: string, reason: string) =>
    `Jaeger at ${url} did not answer (${reason}); start it with 'obskit stack up --only jaeger'`,
  OBSKIT_E_TRACE_NOT_FOUND: (traceId: string, url: string) =>
    `Jaeger at ${url} has no trace ${traceId}; its in-memory store keeps traces only since it started`,
  OBSKIT_E_SLO_SPEC: (problem: string) => `bad SLO spec: ${problem}`,
  OBSKIT_E_SLO_STALE: (rules: string, spec: string) =>
    `${rules} is out of date with ${spec}; run 'obskit slo generate' and commit the result`,
  OBSKIT_E_DASHBOARDS_STALE: (files: string) =>
    `out of date with their TypeScript source in dashboards/*/src: ${files}; run 'obskit dashboards generate' and commit the result`,
  OBSKIT_E_COMPOSE_STALE: (files: string) =>
    `out of date with the collectors/ files they list every member in: ${files}; run 'obskit compose generate' and commit the result`,
  OBSKIT_E_KIBANA_UNREACHABLE: (url: string, reason: string) =>
    `Kibana at ${url} did not answer (${reason}); start Kibana and wait until it is ready, or give its URL with --kibana`,
  OBSKIT_E_KIBANA_AUTH: (url: string, detail: string) =>
    `Kibana at ${url} ${detail}; give a user allowed to manage saved objects with --user and --password, or OBSKIT_KIBANA_USER and OBSKIT_KIBANA_PASSWORD`,
  OBSKIT_E_KIBANA_IMPORT: (url: string, detail: string) =>
    `Kibana at ${url} did not import the saved objects (${detail}); check that --kibana is Kibana's URL, with its base path if it has one`,
  OBSKIT_E_KIBANA_REFUSED: (refused: number, total: number, url: string) =>
    `Kibana at ${url} refused ${refused} of ${total} saved objects, each named above; they import into Kibana 8.8 and later`,
} as const;

export type ErrorCode = keyof typeof catalogue;

/** The first line of an error's message: what a one-line report can carry. */
export const firstLineOf = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

/** Builds the catalogued error for `code` with its message arguments. */
export function obskitError<C extends ErrorCode>(
  code: C,
  ...args: Parameters<(typeof catalogue)[C]>
): ObskitError {
  const format = catalogue[code] as (...a: unknown[]) => string;
  return new ObskitError(code, format(...args));
}
