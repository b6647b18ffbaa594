// The committed Kibana saved objects as Kibana reads them (the JSON strings inside decoded), and
// their queries and fields as Kibana sends them to Elasticsearch, for the tests that check them
// without a Kibana.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { Control, DashboardAttributes, Panel } from '../../dashboards/kibana/src/dashboard';
import type {
  DataViewAttributes,
  RuntimeField,
  UrlFormat,
} from '../../dashboards/kibana/src/data-view';
import type { Layer, LensAttributes } from '../../dashboards/kibana/src/lens';
import type { SavedObject, SavedObjectType } from '../../dashboards/kibana/src/saved-object';
import type { SearchAttributes, SearchSource } from '../../dashboards/kibana/src/searches';
import { repoRoot } from './stack';

export const kibanaFile = join(repoRoot, 'dashboards', 'kibana', 'obskit.ndjson');

export const committedLines = () =>
  readFileSync(kibanaFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '');

export const committedObjects = () =>
  committedLines().map((line) => JSON.parse(line) as SavedObject<unknown>);

interface Attributes {
  'index-pattern': DataViewAttributes;
  search: SearchAttributes;
  lens: LensAttributes;
  dashboard: DashboardAttributes;
}

export const objectsOfType = <T extends SavedObjectType>(
  objects: SavedObject<unknown>[],
  type: T,
) => objects.filter((object) => object.type === type) as SavedObject<Attributes[T]>[];

/** The one data view, with its field formats and runtime fields decoded. */
export function dataViewOf(objects: SavedObject<unknown>[]) {
  const [dataView, ...others] = objectsOfType(objects, 'index-pattern');
  if (!dataView || others.length > 0) throw new Error('not exactly one data view');
  const { attributes } = dataView;
  return {
    ...dataView,
    fieldFormats: JSON.parse(attributes.fieldFormatMap) as Record<string, UrlFormat>,
    runtimeFields: JSON.parse(attributes.runtimeFieldMap) as Record<string, RuntimeField>,
  };
}

export const searchSourceOf = (search: SavedObject<SearchAttributes>) =>
  JSON.parse(search.attributes.kibanaSavedObjectMeta.searchSourceJSON) as SearchSource;

export const layersOf = (lens: SavedObject<LensAttributes>): [string, Layer][] =>
  Object.entries(lens.attributes.state.datasourceStates.formBased.layers);

export const panelsOf = (dashboard: SavedObject<DashboardAttributes>) =>
  JSON.parse(dashboard.attributes.panelsJSON) as Panel[];

export const controlsOf = (dashboard: SavedObject<DashboardAttributes>) =>
  JSON.parse(dashboard.attributes.controlGroupInput.panelsJSON) as Record<string, Control>;

/** A Lucene query as Kibana sends it: empty means every document; the query_string options are Kibana's defaults. */
export const asKibanaSends = (query: string) =>
  query.trim() === '' ? { match_all: {} } : { query_string: { query, analyze_wildcard: true } };

/** Each field's types on the data view's indices, runtime fields over mapped ones, as Kibana lists them (field_caps). */
export async function dataViewFieldTypes(
  client: Client,
  dataView: ReturnType<typeof dataViewOf>,
): Promise<Map<string, string[]>> {
  const caps = await client.fieldCaps({
    index: dataView.attributes.title,
    fields: '*',
    // Kibana sends a data view's runtime fields with every request on it.
    runtime_mappings: dataView.runtimeFields,
  });
  return new Map(Object.entries(caps.fields).map(([field, types]) => [field, Object.keys(types)]));
}
