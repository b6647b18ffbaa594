// The saved objects' fixed ids: an import overwrites the same objects instead of adding copies,
// and references between them name these.

export const ids = {
  dataView: 'obskit-logs',
  allLogs: 'obskit-logs-all',
  errorsAndWarnings: 'obskit-logs-errors-warnings',
  oneService: 'obskit-logs-one-service',
  oneTrace: 'obskit-logs-one-trace',
  logVolume: 'obskit-log-volume-by-level',
  errorsByService: 'obskit-errors-by-service',
  topErrorMessages: 'obskit-top-error-messages',
  linesPerHost: 'obskit-lines-per-host',
  dashboard: 'obskit-logs-dashboard',
} as const;
