// The logs dashboard: the Lens visualisations above the errors-and-warnings search, each panel
// a reference to its saved object, placed on Kibana's grid of 48 columns.

import { ids } from './ids';
import { lucene, type Reference, type SavedObjectType, savedObject } from './saved-object';

export interface GridData {
  x: number;
  y: number;
  w: number;
  h: number;
  i: string;
}

export interface Panel {
  type: SavedObjectType;
  /** The Kibana version the panel's state is written for. */
  version: string;
  panelIndex: string;
  gridData: GridData;
  embeddableConfig: Record<string, never>;
  /** The name of the panel's reference: `<panelIndex>:<panelRefName>` among the dashboard's. */
  panelRefName: string;
}

export interface DashboardAttributes {
  title: string;
  description: string;
  /** JSON of Panel[]. */
  panelsJSON: string;
  optionsJSON: string;
  timeRestore: true;
  timeFrom: string;
  timeTo: string;
  refreshInterval: { pause: boolean; value: number };
  kibanaSavedObjectMeta: { searchSourceJSON: string };
}

interface PanelSpec {
  type: 'lens' | 'search';
  id: string;
  at: Omit<GridData, 'i'>;
}

const panelVersion = '8.8.0';

const layout: PanelSpec[] = [
  { type: 'lens', id: ids.logVolume, at: { x: 0, y: 0, w: 32, h: 13 } },
  { type: 'lens', id: ids.linesPerHost, at: { x: 32, y: 0, w: 16, h: 13 } },
  { type: 'lens', id: ids.errorsByService, at: { x: 0, y: 13, w: 16, h: 13 } },
  { type: 'lens', id: ids.topErrorMessages, at: { x: 16, y: 13, w: 32, h: 13 } },
  { type: 'search', id: ids.errorsAndWarnings, at: { x: 0, y: 26, w: 48, h: 18 } },
];

const refName = (id: string) => `panel_${id}`;

export function logsDashboard() {
  const panels: Panel[] = layout.map(({ type, id, at }) => ({
    type,
    version: panelVersion,
    panelIndex: id,
    gridData: { ...at, i: id },
    embeddableConfig: {},
    panelRefName: refName(id),
  }));
  const references: Reference[] = layout.map(({ type, id }) => ({
    type,
    id,
    name: `${id}:${refName(id)}`,
  }));
  return savedObject<DashboardAttributes>(
    'dashboard',
    ids.dashboard,
    {
      title: '[obskit] Logs',
      description:
        'Log volume, errors by service and message, lines per host, and the latest errors and warnings of every obskit service.',
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: 'now-15m',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 30_000 },
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: lucene(''), filter: [] }),
      },
    },
    references,
  );
}
