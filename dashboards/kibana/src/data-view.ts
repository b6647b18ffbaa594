// The data view (saved object type index-pattern) every other object reads: the daily log
// indices and their time field, trace.id as a link to its trace in the Jaeger UI, and
// error.message as a keyword that Lens can count by.

import { logsIndexPattern } from '../../../stack/log-retention';
import { ids } from './ids';
import { type Reference, savedObject } from './saved-object';

// Compose routes jaeger.localhost to the Jaeger UI through Traefik; browsers resolve *.localhost
// to the loopback address.
export const jaegerTraceUrl = 'http://jaeger.localhost/trace/{{value}}';

export interface UrlFormat {
  id: 'url';
  params: { urlTemplate: string; labelTemplate: string; openLinkInCurrentTab: boolean };
}

/** A runtime field without a script: Elasticsearch reads its value from _source. */
export interface RuntimeField {
  type: 'keyword';
}

export interface DataViewAttributes {
  title: string;
  name: string;
  timeFieldName: '@timestamp';
  /** JSON of Record<field, UrlFormat>. */
  fieldFormatMap: string;
  /** JSON of Record<field, RuntimeField>. */
  runtimeFieldMap: string;
  fields: '[]';
}

const fieldFormats: Record<string, UrlFormat> = {
  'trace.id': {
    id: 'url',
    params: {
      urlTemplate: jaegerTraceUrl,
      labelTemplate: '{{value}}',
      openLinkInCurrentTab: false,
    },
  },
};

// The template maps error.message as text for full-text search, which no terms aggregation can
// use; a keyword of the same name in the data view works on every existing daily index.
const runtimeFields: Record<string, RuntimeField> = { 'error.message': { type: 'keyword' } };

export const dataView = () =>
  savedObject<DataViewAttributes>('index-pattern', ids.dataView, {
    title: logsIndexPattern,
    name: 'obskit logs',
    timeFieldName: '@timestamp',
    fieldFormatMap: JSON.stringify(fieldFormats),
    runtimeFieldMap: JSON.stringify(runtimeFields),
    fields: '[]',
  });

/** A reference to the data view, under the name the referring object uses for it. */
export const dataViewReference = (name: string): Reference => ({
  type: 'index-pattern',
  id: ids.dataView,
  name,
});
