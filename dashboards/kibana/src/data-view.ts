// The data view (saved object type index-pattern) every other object reads: the daily log
// indices and their time field, trace.id as a link to its trace in the Jaeger UI and
// service.name to the service's Grafana dashboard. error.message.keyword, which Lens counts by,
// is the index template's multi-field: no runtime field shadows the text field.

import { logsIndexPattern } from '../../../common/index-names';
import { ids } from './ids';
import { grafanaServiceUrl, jaegerTraceUrl } from './links';
import { type Reference, savedObject } from './saved-object';

export interface UrlFormat {
  id: 'url';
  params: { urlTemplate: string; labelTemplate: string; openLinkInCurrentTab: boolean };
}

/** A runtime field without a script: Elasticsearch reads its value from _source. */
export interface RuntimeField {
  type: 'keyword';
}

const link = (urlTemplate: string): UrlFormat => ({
  id: 'url',
  params: { urlTemplate, labelTemplate: '{{value}}', openLinkInCurrentTab: false },
});

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
  'trace.id': link(jaegerTraceUrl),
  'service.name': link(grafanaServiceUrl),
};

export const dataView = () =>
  savedObject<DataViewAttributes>('index-pattern', ids.dataView, {
    title: logsIndexPattern,
    name: 'obskit logs',
    timeFieldName: '@timestamp',
    fieldFormatMap: JSON.stringify(fieldFormats),
    runtimeFieldMap: '{}',
    fields: '[]',
  });

/** A reference to the data view, under the name the referring object uses for it. */
export const dataViewReference = (name: string): Reference => ({
  type: 'index-pattern',
  id: ids.dataView,
  name,
});
