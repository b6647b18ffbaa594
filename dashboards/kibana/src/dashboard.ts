// The logs dashboard: options-list controls for the service and the level above the Lens
// visualisations and the errors-and-warnings search, each panel a reference to its saved
// object, placed on Kibana's grid of 48 columns.

import { dataViewReference } from './data-view';
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
  controlGroupInput: ControlGroupInput;
}

/** An options-list control as Kibana 8 saves it: its data view goes into the references. */
export interface Control {
  type: 'optionsListControl';
  order: number;
  grow: boolean;
  width: 'small' | 'medium' | 'large';
  explicitInput: {
    id: string;
    fieldName: string;
    title: string;
    selectedOptions: [];
    searchTechnique: 'prefix';
    sort: { by: '_count'; direction: 'desc' };
  };
}

export interface ControlGroupInput {
  controlStyle: 'oneLine';
  chainingSystem: 'HIERARCHICAL';
  /** JSON of Record<control id, Control>. */
  panelsJSON: string;
  ignoreParentSettingsJSON: string;
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

/** The fields the controls filter on; each a keyword in the index template. */
export const controlFields = [
  { id: 'obskit-control-service', fieldName: 'service.name', title: 'Service' },
  { id: 'obskit-control-level', fieldName: 'log.level', title: 'Level' },
];

/** Kibana's reference name for a control's data view. */
export const controlRefName = (id: string) => `controlGroup_${id}:optionsListDataView`;

function controlGroup(): ControlGroupInput {
  const controls: Record<string, Control> = Object.fromEntries(
    controlFields.map(({ id, fieldName, title }, order) => [
      id,
      {
        type: 'optionsListControl',
        order,
        grow: true,
        width: 'medium',
        explicitInput: {
          id,
          fieldName,
          title,
          selectedOptions: [],
          searchTechnique: 'prefix',
          sort: { by: '_count', direction: 'desc' },
        },
      },
    ]),
  );
  return {
    controlStyle: 'oneLine',
    chainingSystem: 'HIERARCHICAL',
    panelsJSON: JSON.stringify(controls),
    ignoreParentSettingsJSON: JSON.stringify({
      ignoreFilters: false,
      ignoreQuery: false,
      ignoreTimerange: false,
      ignoreValidations: false,
    }),
  };
}

export function logsDashboard() {
  const panels: Panel[] = layout.map(({ type, id, at }) => ({
    type,
    version: panelVersion,
    panelIndex: id,
    gridData: { ...at, i: id },
    embeddableConfig: {},
    panelRefName: refName(id),
  }));
  const references: Reference[] = [
    ...layout.map(({ type, id }) => ({ type, id, name: `${id}:${refName(id)}` })),
    ...controlFields.map(({ id }) => dataViewReference(controlRefName(id))),
  ];
  return savedObject<DashboardAttributes>(
    'dashboard',
    ids.dashboard,
    {
      title: '[obskit] Logs',
      description:
        'Log volume, errors over time by service, error messages, lines per host, and the latest errors and warnings of every obskit service; filter by service and level with the controls.',
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: 'now-15m',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 30_000 },
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: lucene(''), filter: [] }),
      },
      controlGroupInput: controlGroup(),
    },
    references,
  );
}
