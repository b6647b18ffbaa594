// What every obskit dashboard shares: its uid and tags, the time range, the variables and the
// drop-down to the other dashboards; panels are added in rows.

import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  type Panel,
  type QueryVariableBuilder,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { obskitDashboardsLink } from './panels';

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: QueryVariableBuilder[];
  rows: { title: string; panels: Builder<Panel>[] }[];
}

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const dashboard = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['obskit'])
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-15m', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .link(obskitDashboardsLink());
  for (const variable of spec.variables) dashboard.withVariable(variable);
  for (const row of spec.rows) {
    dashboard.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) dashboard.withPanel(panel);
  }
  return dashboard.build();
}

/** The URL of another obskit dashboard for one service, keeping the time range. */
export const serviceLink = (uid: string, service = '${__field.labels.service}') =>
  `/d/${uid}?var-service=${service}&\${__url_time_range}`;
