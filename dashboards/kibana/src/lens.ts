// Lens visualisations from a few typed columns (Kibana's formBased datasource): a chart or a
// table of one layer on the data view, with its own Lucene query.

import { dataViewReference } from './data-view';
import { lucene, type Query, savedObject } from './saved-object';

export type Column =
  | {
      label: string;
      dataType: 'date';
      operationType: 'date_histogram';
      sourceField: string;
      isBucketed: true;
      scale: 'interval';
      params: { interval: 'auto'; includeEmptyRows: true; dropPartials: false };
    }
  | {
      label: string;
      dataType: 'string';
      operationType: 'terms';
      sourceField: string;
      isBucketed: true;
      scale: 'ordinal';
      params: {
        size: number;
        orderBy: { type: 'column'; columnId: typeof countId };
        orderDirection: 'desc';
        otherBucket: boolean;
        missingBucket: false;
        parentFormat: { id: 'terms' };
      };
    }
  | {
      label: string;
      dataType: 'number';
      operationType: 'count';
      /** Lens' name for "every document". */
      sourceField: '___records___';
      isBucketed: false;
      scale: 'ratio';
      params: { emptyAsNull: true };
      /** Keeps `label` instead of Lens' own "Count of records". */
      customLabel: true;
    };

export interface Layer {
  columnOrder: string[];
  columns: Record<string, Column>;
  incompleteColumns: Record<string, never>;
}

export interface LensAttributes {
  title: string;
  description: string;
  visualizationType: 'lnsXY' | 'lnsDatatable';
  state: {
    visualization: Record<string, unknown>;
    query: Query;
    filters: [];
    datasourceStates: { formBased: { layers: Record<string, Layer> } };
  };
}

const layerId = 'logs';
const countId = 'count';

export const overTime = (field: string): Column => ({
  label: field,
  dataType: 'date',
  operationType: 'date_histogram',
  sourceField: field,
  isBucketed: true,
  scale: 'interval',
  params: { interval: 'auto', includeEmptyRows: true, dropPartials: false },
});

/** The `size` most frequent values, by the count column; the rest as "Other". */
export const topValues = (field: string, size: number): Column => ({
  label: `Top ${size} values of ${field}`,
  dataType: 'string',
  operationType: 'terms',
  sourceField: field,
  isBucketed: true,
  scale: 'ordinal',
  params: {
    size,
    orderBy: { type: 'column', columnId: countId },
    orderDirection: 'desc',
    otherBucket: true,
    missingBucket: false,
    parentFormat: { id: 'terms' },
  },
});

export const count = (label: string): Column => ({
  label,
  dataType: 'number',
  operationType: 'count',
  sourceField: '___records___',
  isBucketed: false,
  scale: 'ratio',
  params: { emptyAsNull: true },
  customLabel: true,
});

export interface LensSpec {
  id: string;
  title: string;
  description: string;
  query: string;
}

function lens(
  spec: LensSpec,
  visualizationType: LensAttributes['visualizationType'],
  visualization: Record<string, unknown>,
  columns: Record<string, Column>,
) {
  const layer: Layer = { columnOrder: Object.keys(columns), columns, incompleteColumns: {} };
  return savedObject<LensAttributes>(
    'lens',
    spec.id,
    {
      title: spec.title,
      description: spec.description,
      visualizationType,
      state: {
        visualization,
        query: lucene(spec.query),
        filters: [],
        datasourceStates: { formBased: { layers: { [layerId]: layer } } },
      },
    },
    [dataViewReference(`indexpattern-datasource-layer-${layerId}`)],
  );
}

export type SeriesType = 'bar_stacked' | 'bar_horizontal' | 'bar_horizontal_stacked';

/** Bars of the count along `x`, one series per value of `split` when there is one. */
export function barChart(
  spec: LensSpec & { seriesType: SeriesType; x: Column; split?: Column; y: Column },
) {
  const xyLayer = {
    layerId,
    layerType: 'data',
    seriesType: spec.seriesType,
    xAccessor: 'x',
    accessors: [countId],
    ...(spec.split ? { splitAccessor: 'split' } : {}),
  };
  const visualization = {
    legend: { isVisible: true, position: 'right' },
    valueLabels: 'hide',
    preferredSeriesType: spec.seriesType,
    layers: [xyLayer],
  };
  // Buckets nest in column order: the split first, so that its top values are over the range.
  const columns = { ...(spec.split ? { split: spec.split } : {}), x: spec.x, [countId]: spec.y };
  return lens(spec, 'lnsXY', visualization, columns);
}

/** A table of the count for each row value. */
export function table(spec: LensSpec & { rows: Column; metric: Column }) {
  const visualization = {
    layerId,
    layerType: 'data',
    columns: [{ columnId: 'rows' }, { columnId: countId }],
  };
  return lens(spec, 'lnsDatatable', visualization, { rows: spec.rows, [countId]: spec.metric });
}
