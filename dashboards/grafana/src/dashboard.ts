// What every obskit dashboard shares: its uid and tags, the time range, the variables, the
// annotations, the links in the toolbar (the other dashboards, the Jaeger UI, Kibana,
// Alertmanager) and a fixed id per panel, which the alert rules' panel URLs name.

import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  type AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  type Panel,
  type QueryVariableBuilder,
  RowBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { externalLink, obskitDashboardsLink } from './panels';

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: QueryVariableBuilder[];
  annotations?: AnnotationQueryBuilder[];
  rows: { title: string; panels: Builder<Panel>[] }[];
}

/** The UIs compose serves through Traefik (collectors/traefik/dynamic.yml). */
export const uiLinks = {
  jaeger: 'http://jaeger.localhost/search',
  kibana: 'http://kibana.localhost/app/dashboards',
  alertmanager: 'http://alertmanager.localhost/#/alerts',
};

const toolbarLinks = () => [
  obskitDashboardsLink(),
  externalLink('Jaeger', uiLinks.jaeger, 'Search traces in the Jaeger UI'),
  externalLink('Kibana', uiLinks.kibana, 'The [obskit] Logs dashboard and log search'),
  externalLink('Alertmanager', uiLinks.alertmanager, 'Alerts sent, grouped and silenced'),
];

/**
 * The SDK writes `placement: "inControlsMenu"` on every link and annotation, which Grafana 12
 * hides in the controls menu; without it Grafana draws them in the toolbar.
 */
const inToolbar = <T extends { placement?: unknown }>(items: T[] = []) =>
  items.map(({ placement: _hidden, ...rest }) => rest as T);

/** Panels numbered in order, rows too, as Grafana would; the fixed ids of alertPanels kept. */
function withIds(dashboard: Dashboard): Dashboard {
  const fixed = new Set((dashboard.panels ?? []).map((p) => (p as Panel).id).filter(Boolean));
  let id = 0;
  const next = () => {
    while (fixed.has(++id));
    return id;
  };
  const panels = (dashboard.panels ?? []).map((panel) => ({
    ...panel,
    id: (panel as Panel).id || next(),
  }));
  return { ...dashboard, panels };
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
    .links(toolbarLinks());
  for (const variable of spec.variables) dashboard.withVariable(variable);
  for (const annotation of spec.annotations ?? []) dashboard.annotation(annotation);
  for (const row of spec.rows) {
    dashboard.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) dashboard.withPanel(panel);
  }
  const built = withIds(dashboard.build());
  const annotations = built.annotations?.list;
  return {
    ...built,
    links: inToolbar(built.links),
    ...(annotations ? { annotations: { list: inToolbar(annotations) } } : {}),
  };
}

/** The URL of another obskit dashboard for one service, keeping the time range. */
export const serviceLink = (uid: string, service = '${__field.labels.service}') =>
  `/d/${uid}?var-service=${service}&\${__url_time_range}`;
