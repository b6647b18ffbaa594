// The Kibana saved objects against the stack's real Elasticsearch, run as Kibana runs them: the
// data view's pattern and time field, every saved search's Lucene query and columns, every Lens
// column's field, type and values. The lines come from this test: two services under the
// preload ship every level, errors and one shared trace over syslog through rsyslog; the
// queries run on a copy of them in an index the current template made, as a new day's is.

import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { ids } from '../../dashboards/kibana/src/ids';
import { type Column, topValues } from '../../dashboards/kibana/src/lens';
import { defaultService, traceQuery } from '../../dashboards/kibana/src/queries';
import { type RunningApp, startApp } from '../helpers/apps';
import {
  elasticsearch,
  indexFromTemplate,
  type LogDocument,
  logsWhere,
} from '../helpers/elasticsearch';
import { newTraceparent } from '../helpers/jaeger';
import {
  asKibanaSends,
  committedObjects,
  controlsOf,
  dataViewFieldTypes,
  dataViewOf,
  layersOf,
  objectsOfType,
  searchSourceOf,
} from '../helpers/kibana';
import { portOf, uniqueId } from '../helpers/stack';

const run = uniqueId('kibana');
const objects = committedObjects();
const dataView = dataViewOf(objects);
const pattern = dataView.attributes.title;
// Matches the data view's pattern, as every daily index does.
const index = `${pattern.replace('*', '')}${run.toLowerCase()}`;
const client = elasticsearch();
const trace = newTraceparent();
const apps: RunningApp[] = [];
let types: Map<string, string[]>;

interface Line {
  service: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  /** error.message, sent as a field (an HTTP body carries no Error): the template maps it as it
   * maps the one the logger writes from an Error. */
  error?: string;
  inTrace?: boolean;
}

// Every level in two services, one trace through both, two distinct error messages.
const lines: Line[] = [
  {
    service: defaultService,
    level: 'info',
    message: 'GET /entities/:id answered 200',
    inTrace: true,
  },
  { service: defaultService, level: 'warn', message: 'GET /entities/:id took 900 ms' },
  {
    service: defaultService,
    level: 'error',
    message: 'GET answered 502',
    error: '13 INTERNAL: injected error',
  },
  { service: 'entity-service', level: 'info', message: 'GetEntity answered OK', inTrace: true },
  { service: 'entity-service', level: 'warn', message: 'cache miss storm' },
  {
    service: 'entity-service',
    level: 'error',
    message: 'GetEntity answered INTERNAL',
    error: 'injected error',
  },
];

async function ship(app: RunningApp, line: Line): Promise<void> {
  const fields = {
    'test.run': run,
    ...(line.error ? { 'error.type': 'Error', 'error.message': line.error } : {}),
  };
  const response = await fetch(`http://127.0.0.1:${app.port}/log`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(line.inTrace ? { traceparent: trace.header } : {}),
    },
    body: JSON.stringify({ message: line.message, level: line.level, fields }),
  });
  assert.equal(response.status, 200, await response.text());
}

before(async () => {
  for (const service of [defaultService, 'entity-service']) {
    const app = await startApp('logging.cjs', 'require', {
      OTEL_SERVICE_NAME: service,
      // The lines carry their trace.id; the spans stay out of Jaeger, where the demo's test
      // counts every gateway span near its own run.
      OTEL_TRACES_EXPORTER: 'none',
      OBSKIT_LOG_TRANSPORTS: 'syslog',
      OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
    });
    apps.push(app);
    for (const line of lines.filter((l) => l.service === service)) await ship(app, line);
  }
  const shipped = await logsWhere(client, 'test.run', run, lines.length, 60_000);
  await indexFromTemplate(
    client,
    index,
    shipped.map((hit) => hit.source),
  );
  types = await dataViewFieldTypes(client, {
    ...dataView,
    attributes: { ...dataView.attributes, title: index },
  });
});

after(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await client.indices.delete({ index, ignore_unavailable: true });
  await client.close();
});

/** A query as Kibana sends it, kept to this test's lines. */
const ofThisRun = (query: string) => ({
  bool: { must: [asKibanaSends(query)], filter: [{ term: { 'test.run': run } }] },
});

/** A search on the data view, as Kibana sends it with the data view's runtime fields. */
async function searchRun(
  query: string,
  sort: Record<string, 'asc' | 'desc'>[] = [],
): Promise<LogDocument[]> {
  const result = await client.search<LogDocument>({
    index,
    size: 100,
    sort,
    runtime_mappings: dataView.runtimeFields,
    query: ofThisRun(query),
  });
  return result.hits.hits.map((hit) => hit._source ?? {});
}

const messagesOf = (docs: LogDocument[]) => docs.map((d) => String(d.message)).sort();
const messagesWhere = (keep: (line: Line) => boolean) =>
  lines
    .filter(keep)
    .map((l) => l.message)
    .sort();

test('the data view’s title matches the daily log indices; its time field is a date in each', async () => {
  const resolved = await client.indices.resolveIndex({ name: pattern });
  const daily = resolved.indices.filter(({ name }) => name !== index);
  assert.ok(daily.length > 0, `no index matches ${pattern}`);
  for (const { name } of daily) assert.match(name, /^obskit-logs-\d{4}\.\d\d\.\d\d$/);
  assert.deepEqual(types.get(dataView.attributes.timeFieldName), ['date']);
});

// The lines each saved search is for, among this test's.
const searchedLines: Record<string, (line: Line) => boolean> = {
  [ids.allLogs]: () => true,
  [ids.errorsAndWarnings]: (l) => l.level === 'error' || l.level === 'warn',
  [ids.oneService]: (l) => l.service === defaultService,
  // Every line logged in a request carries the request's trace ID.
  [ids.oneTrace]: () => true,
};

test('every saved search’s query, sorted as it says, returns its lines; every column is a field', async () => {
  const searches = objectsOfType(objects, 'search');
  assert.deepEqual(searches.map((s) => s.id).sort(), Object.keys(searchedLines).sort());
  for (const search of searches) {
    const sort = search.attributes.sort.map(([field, order]) => ({ [field]: order }));
    const found = await searchRun(searchSourceOf(search).query.query, sort);
    assert.deepEqual(
      messagesOf(found),
      messagesWhere(searchedLines[search.id] ?? (() => false)),
      search.id,
    );
    const missing = search.attributes.columns.filter((column) => !types.has(column));
    assert.deepEqual(missing, [], `${search.id}: columns not in the mapping`);
  }
});

test('the trace search, filled with a trace ID as its description says, returns that trace’s lines', async () => {
  const found = await searchRun(traceQuery(trace.traceId));
  assert.deepEqual(
    messagesOf(found),
    messagesWhere((l) => l.inTrace === true),
  );
  assert.equal(new Set(found.map((d) => (d.service as { name: string }).name)).size, 2);
});

// The type each bucket operation needs of its field in the data view.
const typeNeeded = { terms: 'keyword', date_histogram: 'date' } as const;

const aggregationOf = (column: Column) =>
  column.operationType === 'terms'
    ? { terms: { field: column.sourceField, size: column.params.size } }
    : { date_histogram: { field: column.sourceField, fixed_interval: '1m', min_doc_count: 1 } };

// The values each Lens visualisation's top-values columns show on this test's lines.
const shownValues: Record<string, Record<string, string[]>> = {
  [ids.logVolume]: { 'log.level': ['error', 'info', 'warn'] },
  [ids.errorsByService]: { 'service.name': ['entity-service', defaultService] },
  [ids.topErrorMessages]: {
    'error.message.keyword': ['13 INTERNAL: injected error', 'injected error'],
  },
  [ids.linesPerHost]: {
    'host.name': [hostname()],
    'service.name': ['entity-service', defaultService],
  },
};

/** The bucket keys of each column, aggregated as Lens aggregates them, on this test's lines. */
async function bucketKeys(query: string, columns: [string, Column][]) {
  const result = await client.search<LogDocument, Record<string, { buckets: { key: unknown }[] }>>({
    index,
    size: 0,
    runtime_mappings: dataView.runtimeFields,
    query: ofThisRun(query),
    aggs: Object.fromEntries(columns.map(([id, column]) => [id, aggregationOf(column)])),
  });
  const keysOf = (id: string) =>
    (result.aggregations?.[id]?.buckets ?? []).map((b) => String(b.key));
  return new Map(columns.map(([id]) => [id, keysOf(id).sort()]));
}

test('every Lens column’s field has the type its operation needs and values on these lines', async () => {
  const lenses = objectsOfType(objects, 'lens');
  assert.deepEqual(lenses.map((l) => l.id).sort(), Object.keys(shownValues).sort());
  for (const lens of lenses) {
    for (const [, layer] of layersOf(lens)) {
      const bucketed = Object.entries(layer.columns).filter(([, c]) => c.operationType !== 'count');
      for (const [, column] of bucketed) {
        const needed = typeNeeded[column.operationType as keyof typeof typeNeeded];
        assert.deepEqual(
          types.get(column.sourceField),
          [needed],
          `${lens.id}: ${column.sourceField}`,
        );
      }
      const keys = await bucketKeys(lens.attributes.state.query.query, bucketed);
      for (const [id, column] of bucketed) {
        const values = keys.get(id) ?? [];
        assert.ok(values.length > 0, `${lens.id}: ${column.sourceField} has no values`);
        if (column.operationType === 'terms')
          assert.deepEqual(
            values,
            shownValues[lens.id]?.[column.sourceField],
            `${lens.id}: ${column.sourceField}`,
          );
      }
    }
  }
});

test('the controls’ fields are keywords on the index, with this test’s values as options', async () => {
  const [dashboard] = objectsOfType(objects, 'dashboard');
  assert.ok(dashboard);
  const fields = Object.values(controlsOf(dashboard)).map((c) => c.explicitInput.fieldName);
  assert.deepEqual(fields, ['service.name', 'log.level']);
  for (const field of fields) assert.deepEqual(types.get(field), ['keyword'], field);
  const keys = await bucketKeys(
    '',
    fields.map((field) => [field, topValues(field, 10)]),
  );
  assert.deepEqual(keys.get('service.name'), ['entity-service', defaultService]);
  assert.deepEqual(keys.get('log.level'), ['error', 'info', 'warn']);
});

test('error.message stays full text: a word of a message finds its line', async () => {
  assert.deepEqual(types.get('error.message'), ['text']);
  const found = await searchRun('error.message:INTERNAL');
  assert.deepEqual(messagesOf(found), ['GET answered 502']);
});
