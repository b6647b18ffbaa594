// The saved searches (Discover): every line, errors and warnings, one service, one trace; each
// with the same columns, on the data view.

import { dataViewReference } from './data-view';
import { ids } from './ids';
import { defaultService, queries, traceQuery } from './queries';
import { lucene, type Query, savedObject } from './saved-object';

export interface SearchSource {
  query: Query;
  filter: [];
  indexRefName: string;
}

export interface SearchAttributes {
  title: string;
  description: string;
  columns: string[];
  sort: [string, 'asc' | 'desc'][];
  /** JSON of SearchSource. */
  kibanaSavedObjectMeta: { searchSourceJSON: string };
}

export const searchColumns = ['@timestamp', 'service.name', 'log.level', 'message', 'trace.id'];

const indexRefName = 'kibanaSavedObjectMeta.searchSourceJSON.index';
const newestFirst: SearchAttributes['sort'] = [['@timestamp', 'desc']];

interface SearchSpec {
  id: string;
  title: string;
  description: string;
  query: string;
  sort?: SearchAttributes['sort'];
}

function search({ id, title, description, query, sort = newestFirst }: SearchSpec) {
  const source: SearchSource = { query: lucene(query), filter: [], indexRefName };
  return savedObject<SearchAttributes>(
    'search',
    id,
    {
      title,
      description,
      columns: searchColumns,
      sort,
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify(source) },
    },
    [dataViewReference(indexRefName)],
  );
}

export const searches = () => [
  search({
    id: ids.allLogs,
    title: '[obskit] All log lines',
    description: 'Every log line of every service, newest first.',
    query: queries.all,
  }),
  search({
    id: ids.errorsAndWarnings,
    title: '[obskit] Errors and warnings',
    description: 'Lines at log.level error or warn, newest first.',
    query: queries.errorsAndWarnings,
  }),
  search({
    id: ids.oneService,
    title: `[obskit] One service: ${defaultService}`,
    description: `The lines of one service: change ${defaultService} in the query to another service.name.`,
    query: queries.oneService,
  }),
  // Kibana has no query parameters: the lines that carry a trace ID, each trace's lines together
  // in time order, until the user names the trace.
  search({
    id: ids.oneTrace,
    title: '[obskit] Lines of one trace',
    description: `Lines grouped by trace, oldest first. For one trace, search ${traceQuery('<trace ID>')} or filter on a trace.id value; the trace.id link opens the trace in Jaeger.`,
    query: queries.traced,
    sort: [
      ['trace.id', 'asc'],
      ['@timestamp', 'asc'],
    ],
  }),
];
