// Every query the saved objects hold, in Lucene: Kibana sends each as a query_string, so the
// tests run the very same strings against Elasticsearch.

/** The service the one-service search opens on: the demo's entry point. */
export const defaultService = 'gateway';

export const queries = {
  all: '',
  errors: 'log.level:error',
  errorsAndWarnings: 'log.level:(error OR warn)',
  oneService: `service.name:${defaultService}`,
  traced: '_exists_:trace.id',
} as const;

/** What a user types in the search bar to keep the lines of one trace. */
export const traceQuery = (traceId: string) => `trace.id:"${traceId}"`;
