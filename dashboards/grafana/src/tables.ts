// Tables of several instant queries joined on their labels, as Grafana joins them: each query
// a table frame, merged into one row per label set, each value column renamed and given a unit.

import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import { type PlotSpec, tablePanel, type Unit } from './panels';
import { promTable } from './queries';

export interface Column {
  title: string;
  unit: Unit;
  expr: string;
  /** Thresholds colour the cell (an alert's own numbers). */
  thresholds?: PlotSpec['thresholds'];
}

/** Grafana names a table frame's value `Value #<refId>` once several queries are merged. */
const valueColumn = (i: number) => `Value #${String.fromCharCode(65 + i)}`;

export function joinedTable(
  spec: Omit<PlotSpec, 'targets' | 'unit'> & { columns: Column[] },
): table.PanelBuilder {
  const targets: Builder<Dataquery>[] = spec.columns.map((c) => promTable(c.expr));
  const panel = tablePanel({ ...spec, unit: 'none', targets }).transformations([
    { id: 'merge', options: {} },
    {
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: Object.fromEntries(spec.columns.map((c, i) => [valueColumn(i), c.title])),
      },
    },
  ]);
  for (const column of spec.columns) {
    const properties: DynamicConfigValue[] = [{ id: 'unit', value: column.unit }];
    if (column.thresholds)
      properties.push(
        { id: 'thresholds', value: { mode: 'absolute', steps: column.thresholds } },
        { id: 'custom.cellOptions', value: { type: 'color-background' } },
      );
    panel.overrideByName(column.title, properties);
  }
  return panel;
}
