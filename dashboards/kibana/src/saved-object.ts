// A Kibana saved object as the import API reads it (one line of an export's NDJSON), the
// queries the objects hold, and the file that carries them.

export type SavedObjectType = 'index-pattern' | 'search' | 'lens' | 'dashboard';

export interface Reference {
  type: SavedObjectType;
  id: string;
  name: string;
}

export interface SavedObject<Attributes = Record<string, unknown>> {
  type: SavedObjectType;
  id: string;
  attributes: Attributes;
  references: Reference[];
  coreMigrationVersion: string;
  typeMigrationVersion: string;
}

/**
 * The migration version each type is written at. Kibana runs only the later migrations on import
 * and refuses an object newer than itself, so these set the oldest Kibana that imports the file:
 * 8.8, whose core version is the newest here (Kibana's own 8.x sample data carries the same),
 * with lens at 8.6, where its datasource state became `formBased`.
 */
const coreMigrationVersion = '8.8.0';
const typeMigrationVersions: Record<SavedObjectType, string> = {
  'index-pattern': '7.11.0',
  search: '7.9.3',
  lens: '8.6.0',
  dashboard: '8.7.0',
};

export const savedObject = <Attributes>(
  type: SavedObjectType,
  id: string,
  attributes: Attributes,
  references: Reference[] = [],
): SavedObject<Attributes> => ({
  type,
  id,
  attributes,
  references,
  coreMigrationVersion,
  typeMigrationVersion: typeMigrationVersions[type],
});

/** Lucene, so that Elasticsearch runs the very string Kibana sends, as query_string. */
export interface Query {
  query: string;
  language: 'lucene';
}

export const lucene = (query: string): Query => ({ query, language: 'lucene' });

/** The import file: one object per line, as Kibana's export writes it. */
export const ndjson = (objects: SavedObject<unknown>[]) =>
  `${objects.map((object) => JSON.stringify(object)).join('\n')}\n`;
