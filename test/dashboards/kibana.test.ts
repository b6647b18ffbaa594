// The Kibana saved objects checked offline: up to date with their TypeScript source, one object
// per line, every reference resolved inside the file under the name Kibana looks it up by; and
// `obskit dashboards import` against a fake Kibana that records the request and answers as
// Kibana's import API documents (success, 401, HTTP 200 with success:false), or not at all.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import {
  kibanaFile as fileName,
  type GeneratedSet,
  staleFiles,
  writeSet,
} from '../../cli/dashboards-command';
import { logsIndexPattern } from '../../common/index-names';
import { controlRefName } from '../../dashboards/kibana/src/dashboard';
import { ids } from '../../dashboards/kibana/src/ids';
import { ndjson, savedObjects } from '../../dashboards/kibana/src/index';
import { withUiPort } from '../../dashboards/kibana/src/links';
import { searchColumns } from '../../dashboards/kibana/src/searches';
import { templateTypes } from '../helpers/elasticsearch';
import {
  committedLines,
  committedObjects,
  controlsOf,
  dataViewOf,
  kibanaFile,
  layersOf,
  objectsOfType,
  panelsOf,
  searchSourceOf,
} from '../helpers/kibana';
import { freePort } from '../helpers/ports';
import { runCli, runCliAsync } from '../helpers/stack';

const objects = committedObjects();
const referenceNames = (object: { references: { name: string }[] }) =>
  object.references.map((r) => r.name).sort();

test('the committed file is what dashboards/kibana/src gives; check says so', () => {
  assert.equal(readFileSync(kibanaFile, 'utf8'), ndjson(savedObjects()));
  const result = runCli(['dashboards', 'check']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    / and 10 Kibana saved objects in dashboards\/kibana are up to date\n$/,
  );
});

test('check names a stale file and one the source no longer gives; generate fixes both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-kibana-'));
  try {
    const content = ndjson(savedObjects());
    const set: GeneratedSet = {
      what: '',
      dir,
      extension: '.ndjson',
      files: new Map([[fileName, content]]),
    };
    assert.deepEqual(
      staleFiles(set).map((f) => basename(f)),
      [fileName],
      'a missing file is stale',
    );
    writeSet(set);
    assert.deepEqual(staleFiles(set), []);
    writeFileSync(join(dir, fileName), content.replace('"obskit-logs-*"', '"logs-*"'));
    writeFileSync(join(dir, 'old.ndjson'), '');
    assert.deepEqual(
      staleFiles(set).map((f) => basename(f)),
      [fileName, 'old.ndjson'],
    );
    writeSet(set);
    assert.deepEqual(staleFiles(set), []);
    assert.deepEqual(readdirSync(dir), [fileName]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every line is one saved object with a type, an id and attributes; ids are distinct', () => {
  for (const line of committedLines()) {
    const object = JSON.parse(line);
    assert.equal(typeof object.type, 'string', line.slice(0, 80));
    assert.match(object.id, /^obskit-[\w-]+$/);
    assert.equal(typeof object.attributes, 'object');
    assert.ok(Array.isArray(object.references));
    assert.match(object.coreMigrationVersion, /^8\.\d+\.\d+$/);
    assert.match(object.typeMigrationVersion, /^\d+\.\d+\.\d+$/);
  }
  assert.equal(new Set(objects.map((o) => o.id)).size, objects.length);
  const counts = (['index-pattern', 'search', 'lens', 'dashboard'] as const).map(
    (type) => objectsOfType(objects, type).length,
  );
  assert.deepEqual(counts, [1, 4, 4, 1]);
  assert.equal(objects.length, 10);
});

test('every reference points at an object of the file, of the type it names', () => {
  const known = new Set(objects.map((o) => `${o.type}/${o.id}`));
  const dangling = objects.flatMap((o) =>
    o.references
      .filter((r) => !known.has(`${r.type}/${r.id}`))
      .map((r) => `${o.id} → ${r.type}/${r.id}`),
  );
  assert.deepEqual(dangling, []);
});

test('each reference has the name Kibana looks it up by, and none is unused', () => {
  for (const search of objectsOfType(objects, 'search')) {
    assert.deepEqual(referenceNames(search), [searchSourceOf(search).indexRefName], search.id);
  }
  for (const lens of objectsOfType(objects, 'lens')) {
    const expected = layersOf(lens).map(([id]) => `indexpattern-datasource-layer-${id}`);
    assert.deepEqual(referenceNames(lens), expected.sort(), lens.id);
  }
  for (const dashboard of objectsOfType(objects, 'dashboard')) {
    const panels = panelsOf(dashboard);
    const controls = Object.keys(controlsOf(dashboard)).map(controlRefName);
    const expected = [...panels.map((p) => `${p.panelIndex}:${p.panelRefName}`), ...controls];
    assert.deepEqual(referenceNames(dashboard), expected.sort());
    for (const name of controls)
      assert.equal(dashboard.references.find((r) => r.name === name)?.id, ids.dataView, name);
    for (const panel of panels) {
      const reference = dashboard.references.find((r) => r.name.startsWith(`${panel.panelIndex}:`));
      assert.equal(reference?.type, panel.type, panel.panelIndex);
    }
  }
});

const link = (urlTemplate: string) => ({
  id: 'url',
  params: { urlTemplate, labelTemplate: '{{value}}', openLinkInCurrentTab: false },
});

test('the data view: obskit-logs-*, time field @timestamp, trace.id opens Jaeger, service.name Grafana’s Service detail, no runtime field', () => {
  const dataView = dataViewOf(objects);
  assert.equal(dataView.attributes.title, logsIndexPattern);
  assert.equal(dataView.attributes.timeFieldName, '@timestamp');
  assert.deepEqual(dataView.fieldFormats, {
    'trace.id': link('http://jaeger.localhost/trace/{{value}}'),
    'service.name': link('http://grafana.localhost/d/obskit-service-detail?var-service={{value}}'),
  });
  assert.deepEqual(dataView.runtimeFields, {});
});

test('the UI links are rendered on Traefik’s web port when it is not 80; a bad port is one line', () => {
  const file = readFileSync(kibanaFile, 'utf8');
  assert.equal(withUiPort(file, undefined), file);
  assert.equal(withUiPort(file, '80'), file);
  const rendered = withUiPort(file, '8088');
  assert.ok(rendered.includes('http://jaeger.localhost:8088/trace/{{value}}'));
  assert.ok(rendered.includes('http://grafana.localhost:8088/d/obskit-service-detail'));
  assert.ok(!/\.localhost\//.test(rendered));
  assert.throws(() => withUiPort(file, 'eighty'), /OBSKIT_PORT_TRAEFIK_WEB must be a port number/);
});

test('the controls are options lists on service.name and log.level, keywords in the index template', () => {
  const [dashboard] = objectsOfType(objects, 'dashboard');
  assert.ok(dashboard);
  const controls = Object.values(controlsOf(dashboard));
  assert.deepEqual(
    controls.map((c) => [c.type, c.explicitInput.fieldName]),
    [
      ['optionsListControl', 'service.name'],
      ['optionsListControl', 'log.level'],
    ],
  );
  const fields = controls.map((c) => c.explicitInput.fieldName);
  assert.deepEqual(templateTypes(fields), { 'service.name': 'keyword', 'log.level': 'keyword' });
});

test('errors over time by service: a date histogram split by service.name, on the error lines', () => {
  const lens = objectsOfType(objects, 'lens').find((l) => l.id === ids.errorsByService);
  const columns = Object.values(layersOf(lens as NonNullable<typeof lens>)[0]?.[1].columns ?? {});
  assert.deepEqual(
    columns.map((c) => [c.operationType, c.sourceField]),
    [
      ['terms', 'service.name'],
      ['date_histogram', '@timestamp'],
      ['count', '___records___'],
    ],
  );
  assert.equal(lens?.attributes.state.query.query, 'log.level:error');
});

test('every Lens terms column counts a keyword of the index template: error.message by its keyword multi-field', () => {
  const terms = objectsOfType(objects, 'lens').flatMap((lens) =>
    layersOf(lens).flatMap(([, layer]) =>
      Object.values(layer.columns).flatMap((c) =>
        c.operationType === 'terms' ? [c.sourceField] : [],
      ),
    ),
  );
  assert.ok(terms.includes('error.message.keyword'));
  const types = templateTypes(terms);
  assert.deepEqual(
    Object.entries(types).filter(([, type]) => type !== 'keyword'),
    [],
  );
  assert.equal(templateTypes(['error.message'])['error.message'], 'text');
});

test('every saved search is Lucene with the five columns, sorted by some of them', () => {
  const searches = objectsOfType(objects, 'search');
  for (const search of searches) {
    assert.equal(searchSourceOf(search).query.language, 'lucene', search.id);
    assert.deepEqual(search.attributes.columns, searchColumns);
    for (const [field] of search.attributes.sort) assert.ok(searchColumns.includes(field), field);
  }
  assert.deepEqual(searchColumns, [
    '@timestamp',
    'service.name',
    'log.level',
    'message',
    'trace.id',
  ]);
});

test('every Lens layer is whole: columns in order, accessors naming columns, terms ordered by one', () => {
  for (const lens of objectsOfType(objects, 'lens')) {
    const { state, visualizationType } = lens.attributes;
    assert.equal(state.query.language, 'lucene', lens.id);
    for (const [, layer] of layersOf(lens)) {
      assert.deepEqual([...layer.columnOrder].sort(), Object.keys(layer.columns).sort(), lens.id);
      for (const column of Object.values(layer.columns)) {
        if (column.operationType === 'terms')
          assert.ok(layer.columns[column.params.orderBy.columnId], `${lens.id}: orderBy`);
      }
      const accessors =
        visualizationType === 'lnsXY'
          ? (state.visualization.layers as Record<string, unknown>[]).flatMap((l) => [
              l.xAccessor,
              l.splitAccessor,
              ...(l.accessors as string[]),
            ])
          : (state.visualization.columns as { columnId: string }[]).map((c) => c.columnId);
      const named = accessors.filter((a): a is string => a !== undefined);
      assert.deepEqual(named.sort(), Object.keys(layer.columns).sort(), `${lens.id}: accessors`);
    }
  }
});

test('the dashboard shows every Lens visualisation and the errors search on the 48-column grid', () => {
  const [dashboard] = objectsOfType(objects, 'dashboard');
  assert.ok(dashboard);
  const panels = panelsOf(dashboard);
  const shown = dashboard.references
    .filter((r) => !r.name.startsWith('controlGroup_'))
    .map((r) => r.id)
    .sort();
  const lenses = objectsOfType(objects, 'lens').map((o) => o.id);
  assert.deepEqual(shown, [...lenses, ids.errorsAndWarnings].sort());
  for (const [i, { gridData: a }] of panels.entries()) {
    assert.ok(a.x >= 0 && a.x + a.w <= 48, JSON.stringify(a));
    for (const { gridData: b } of panels.slice(i + 1)) {
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `${a.i} overlaps ${b.i}`);
    }
  }
});

interface Recorded {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: { close: () => void }[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** A Kibana stand-in: records each request and answers `status` with the JSON `answer`. */
async function fakeKibana(status: number, answer: object) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { method, url, headers } = req;
      requests.push({ method, url, headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}

const secret = 'pa55-w0rd-not-to-print';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const success = { success: true, successCount: 10, successResults: [] };
const asUser = ['--user', 'elastic', '--password', secret];

/** `obskit dashboards import --kibana <url>`, whatever credentials the tests' shell holds. */
const importInto = (url: string, more: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runCliAsync(['dashboards', 'import', '--kibana', url, ...more], {
    OBSKIT_KIBANA_USER: '',
    OBSKIT_KIBANA_PASSWORD: '',
    OBSKIT_PORT_TRAEFIK_WEB: '',
    ...env,
  });

/** The multipart body parsed as a server parses it. */
const formOf = (request: Recorded) =>
  new Response(request.body, {
    headers: { 'content-type': String(request.headers['content-type']) },
  }).formData();

test('import: one POST to /api/saved_objects/_import?overwrite=true, kbn-xsrf, basic auth, the file as multipart', async () => {
  const kibana = await fakeKibana(200, success);
  const result = await importInto(kibana.url, asUser);
  assert.equal(result.stderr, '');
  assert.equal(
    result.stdout,
    `imported 10 saved objects into Kibana at ${kibana.url}; the dashboard: ${kibana.url}/app/dashboards#/view/${ids.dashboard}\n`,
  );
  assert.equal(result.code, 0);
  const [request, ...more] = kibana.requests;
  assert.equal(more.length, 0);
  assert.ok(request);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/api/saved_objects/_import?overwrite=true');
  assert.equal(request.headers['kbn-xsrf'], 'true');
  assert.equal(request.headers.authorization, basic('elastic', secret));
  assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=/);
  const file = (await formOf(request)).get('file') as File;
  assert.equal(file.name, 'obskit.ndjson');
  assert.equal(await file.text(), readFileSync(kibanaFile, 'utf8'));
});

test('import: credentials from the environment or the URL, never printed; a base path kept', async () => {
  const kibana = await fakeKibana(200, success);
  const env = { OBSKIT_KIBANA_USER: 'ops', OBSKIT_KIBANA_PASSWORD: secret };
  const withEnv = await importInto(`${kibana.url}/kibana`, [], env);
  const inUrl = kibana.url.replace('//', `//ops:${secret}@`);
  const withUrl = await importInto(inUrl);
  const without = await importInto(kibana.url);
  for (const result of [withEnv, withUrl, without]) {
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(secret));
  }
  const [first, second, third] = kibana.requests;
  assert.equal(first?.url, '/kibana/api/saved_objects/_import?overwrite=true');
  assert.equal(first?.headers.authorization, basic('ops', secret));
  assert.equal(second?.headers.authorization, basic('ops', secret));
  assert.equal(third?.headers.authorization, undefined);
});

test('import: a refused connection gives one line naming the URL and the fix, exit 1', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const result = await importInto(url);
  assert.equal(
    result.stderr,
    `obskit: Kibana at ${url} did not answer (connect ECONNREFUSED ${url.slice(7)}); start Kibana and wait until it is ready, or give its URL with --kibana [OBSKIT_E_KIBANA_UNREACHABLE]\n`,
  );
  assert.equal(result.code, 1);
});

// Kibana's error answers (statusCode, error, message), each to give one line naming its fix.
const httpFailures = [
  {
    name: 'a 401 gives one line about the credentials',
    status: 401,
    error: 'Unauthorized',
    message: '[security_exception]: unable to authenticate user',
    basePath: '',
    line: (url: string) =>
      `obskit: Kibana at ${url} refused the credentials (HTTP 401); give a user allowed to manage saved objects with --user and --password, or OBSKIT_KIBANA_USER and OBSKIT_KIBANA_PASSWORD [OBSKIT_E_KIBANA_AUTH]\n`,
  },
  {
    name: 'an answer other than Kibana’s (a wrong base path) gives one line',
    status: 404,
    error: 'Not Found',
    message: 'Not Found',
    basePath: '/kibana',
    line: (url: string) =>
      `obskit: Kibana at ${url} did not import the saved objects (HTTP 404: Not Found); check that --kibana is Kibana's URL, with its base path if it has one [OBSKIT_E_KIBANA_IMPORT]\n`,
  },
];

for (const c of httpFailures) {
  test(`import: ${c.name}, exit 1`, async () => {
    const { status, error, message } = c;
    const kibana = await fakeKibana(status, { statusCode: status, error, message });
    const url = `${kibana.url}${c.basePath}`;
    const result = await importInto(url, asUser);
    assert.equal(result.stderr, c.line(url));
    assert.equal(result.code, 1);
  });
}

test('import: HTTP 200 with success:false gives one line per refused object, exit 1', async () => {
  const kibana = await fakeKibana(200, {
    success: false,
    successCount: 8,
    errors: [
      {
        type: 'lens',
        id: ids.linesPerHost,
        meta: { title: '[obskit] Lines per host' },
        error: { type: 'missing_references', references: [{ type: 'index-pattern', id: 'x' }] },
      },
      {
        type: 'dashboard',
        id: ids.dashboard,
        meta: { title: '[obskit] Logs' },
        error: { type: 'unknown', message: 'Document has a newer typeMigrationVersion\nstack' },
      },
    ],
  });
  const result = await importInto(kibana.url);
  assert.deepEqual(result.stderr.split('\n'), [
    `obskit: Kibana refused lens ${ids.linesPerHost} "[obskit] Lines per host": missing_references: index-pattern x`,
    `obskit: Kibana refused dashboard ${ids.dashboard} "[obskit] Logs": unknown: Document has a newer typeMigrationVersion`,
    `obskit: Kibana at ${kibana.url} refused 2 of 10 saved objects, each named above; they import into Kibana 8.8 and later [OBSKIT_E_KIBANA_REFUSED]`,
    '',
  ]);
  assert.equal(result.stdout, '');
  assert.equal(result.code, 1);
});
