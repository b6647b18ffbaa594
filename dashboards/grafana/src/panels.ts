// The panel kinds the dashboards repeat, each a small function over the SDK's builders (as the
// monitoring mixins build theirs): a datasource, a title and a unit on every one.

import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  GraphDrawStyle,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  LogsSortOrder,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TableCellDisplayMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardLinkBuilder,
  DashboardLinkType,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { type DatasourceRef, elasticsearch, jaeger, prometheus } from './datasources';

/** Grafana's unit ids. */
export type Unit = 's' | 'reqps' | 'ops' | 'percentunit' | 'bytes' | 'short' | 'none';

export interface PanelSpec {
  title: string;
  description: string;
  targets: Builder<Dataquery>[];
  /** Width out of Grafana's 24 columns. */
  span?: number;
  height?: number;
  /** A variable to repeat the panel for, one copy per selected value. */
  repeat?: string;
  /** A fixed id (common/dashboard-ids.ts alertPanels), for a panel an alert rule's URL opens. */
  id?: number;
}

export interface PlotSpec extends PanelSpec {
  unit: Unit;
  /** Data links: `${__field.labels.x}` and `${__value.raw}` are filled by Grafana. */
  links?: { title: string; url: string }[];
  /** Colour steps, drawn as dashed lines on a time series: an alert's own numbers. */
  thresholds?: Threshold[];
}

/** Red from the number an alert fires above (green below it). */
export const redFrom = (...values: number[]): Threshold[] => [
  { value: null as unknown as number, color: 'green' },
  ...values.map((value, i) => ({ value, color: i === values.length - 1 ? 'red' : 'orange' })),
];

/** Red below `value`: a state gauge whose alert fires at 0 (no leader, no endpoint, down). */
export const redBelow = (value: number): Threshold[] => [
  { value: null as unknown as number, color: 'red' },
  { value, color: 'green' },
];

const thresholdsOf = (steps: Threshold[]) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);

type AnyPanel =
  | heatmap.PanelBuilder
  | timeseries.PanelBuilder
  | stat.PanelBuilder
  | table.PanelBuilder
  | logs.PanelBuilder;

/** Gives each target its refId (A, B, …), which Grafana uses to tell them apart. */
const withRefIds = (targets: Builder<Dataquery>[]): Builder<Dataquery>[] =>
  targets.map((target, i) => ({
    build: () => ({ ...target.build(), refId: String.fromCharCode(65 + i) }) as Dataquery,
  }));

const dataLinks = (links: PlotSpec['links'] = []) =>
  links.map((link) => new DashboardLinkBuilder(link.title).url(link.url));

function common<P extends AnyPanel>(panel: P, spec: PanelSpec, datasource: DatasourceRef): P {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(datasource)
    .targets(withRefIds(spec.targets))
    .span(spec.span ?? 12)
    .height(spec.height ?? 8);
  if (spec.repeat) panel.repeat(spec.repeat).maxPerRow(2);
  if (spec.id) panel.id(spec.id);
  return panel;
}

export function timeSeries(spec: PlotSpec): timeseries.PanelBuilder {
  const panel = common(new timeseries.PanelBuilder(), spec, prometheus);
  if (spec.thresholds)
    panel
      .thresholds(thresholdsOf(spec.thresholds))
      .thresholdsStyle(
        new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed),
      );
  return panel
    .unit(spec.unit)
    .min(0)
    .fillOpacity(10)
    .showPoints(VisibilityMode.Never)
    .dataLinks(dataLinks(spec.links))
    .legend(
      new VizLegendOptionsBuilder()
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .showLegend(true)
        .calcs(['mean', 'max']),
    )
    .tooltip(
      new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending),
    );
}

export function statPanel(spec: PlotSpec): stat.PanelBuilder {
  const panel = common(new stat.PanelBuilder(), { span: 6, height: 5, ...spec }, prometheus);
  if (spec.thresholds) panel.thresholds(thresholdsOf(spec.thresholds));
  return panel
    .unit(spec.unit)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .dataLinks(dataLinks(spec.links));
}

export function tablePanel(spec: PlotSpec): table.PanelBuilder {
  const panel = common(new table.PanelBuilder(), spec, prometheus);
  // A table colours its cells by the thresholds only when told to.
  if (spec.thresholds)
    panel
      .thresholds(thresholdsOf(spec.thresholds))
      .cellOptions({ type: TableCellDisplayMode.ColorBackground });
  return panel.unit(spec.unit).dataLinks(dataLinks(spec.links));
}

/** Log lines from Elasticsearch: their trace.id opens the trace (the datasource's data link). */
export function logsPanel(spec: PanelSpec): logs.PanelBuilder {
  return common(new logs.PanelBuilder(), { span: 24, height: 10, ...spec }, elasticsearch)
    .showTime(true)
    .sortOrder(LogsSortOrder.Descending)
    .enableLogDetails(true)
    .wrapLogMessage(true);
}

/** Log lines per interval from Elasticsearch, as stacked bars. */
export function logVolumePanel(spec: PlotSpec): timeseries.PanelBuilder {
  return timeSeries(spec)
    .datasource(elasticsearch)
    .drawStyle(GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'));
}

/** Bucket counts over time as Grafana's heatmap, the exemplars as dots that open their trace. */
export function heatmapPanel(spec: PlotSpec): heatmap.PanelBuilder {
  return common(new heatmap.PanelBuilder(), spec, prometheus)
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(spec.unit))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .scale(heatmap.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64),
    )
    .cellGap(1)
    .exemplarsColor('rgba(255,0,255,0.7)')
    .showLegend();
}

/** A Jaeger search as a table of recent traces: each trace ID opens the trace view. */
export function tracesPanel(spec: PanelSpec): table.PanelBuilder {
  return common(new table.PanelBuilder(), { span: 24, height: 8, ...spec }, jaeger);
}

/** The obskit dashboards as a drop-down in the toolbar, keeping the time range and the variables. */
export const obskitDashboardsLink = () =>
  new DashboardLinkBuilder('obskit dashboards')
    .type(DashboardLinkType.Dashboards)
    .tags(['obskit'])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true);

/** A link in the toolbar to a UI beside Grafana, in a new tab. */
export const externalLink = (title: string, url: string, tooltip: string) =>
  new DashboardLinkBuilder(title)
    .type(DashboardLinkType.Link)
    .url(url)
    .tooltip(tooltip)
    .icon('external link')
    .targetBlank(true);
