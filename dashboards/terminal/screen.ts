// One screen of `obskit dash`: a dashboard's variables resolved over the last `rangeMs`, its
// frame, and the header saying what is shown; and the screen as --json prints it.

import type { Backends, Dashboard, TimeRange } from '../../clients/grafana/model';
import { resolveVariables, type Selections } from '../../clients/grafana/variables';
import { buildFrame, type PanelView, reasonOf } from './frame';

export interface Screen {
  title: string;
  /** Variables and the time range, as the header shows them. */
  subtitle: string;
  panels: PanelView[];
  range: TimeRange;
}

export interface ScreenRequest {
  backends: Backends;
  rangeMs: number;
  /** The range as the user wrote it, for the header: 15m. */
  rangeText: string;
  /** The values the user picked, by variable name. */
  chosen: Record<string, string[]>;
}

const describeSelections = (selections: Selections) =>
  Object.entries(selections)
    .map(([name, s]) => `${name}=${s.allValue ?? s.values.join(',')}`)
    .join('  ');

/** The dashboard now; variables that cannot be resolved are named in the header. */
export async function loadScreen(dashboard: Dashboard, request: ScreenRequest): Promise<Screen> {
  const { backends, rangeMs, rangeText, chosen } = request;
  const range = { fromMs: Date.now() - rangeMs, toMs: Date.now() };
  let selections: Selections = {};
  let problem = '';
  try {
    selections = await resolveVariables(dashboard, backends, range, chosen);
  } catch (error) {
    problem = `  ·  variables: ${reasonOf(error)}`;
  }
  return {
    title: dashboard.title,
    subtitle: `last ${rangeText}  ${describeSelections(selections)}${problem}`,
    panels: await buildFrame(dashboard, selections, backends, range),
    range,
  };
}

/** Each panel's title and what it would draw; charts as their series' points. */
export const screenJson = (screen: Screen) => ({
  dashboard: screen.title,
  subtitle: screen.subtitle,
  range: screen.range,
  panels: screen.panels.map(({ gridPos: _gridPos, ...panel }: PanelView) => panel),
});
