// The dashboard drawn in a terminal with ink: panels in the rows and widths of their gridPos,
// scaled to the terminal; q quits, n/p or the arrows move between dashboards, a resize redraws.

import type { TimeRange } from '../grafana/model';
import type { PanelView } from './frame';
import { panelLines } from './panel-text';

export interface Screen {
  title: string;
  /** Variables and the time range, as the header shows them. */
  subtitle: string;
  panels: PanelView[];
  range: TimeRange;
}

type Ink = typeof import('ink', { with: { 'resolution-mode': 'import' }});
const React = require('react') as typeof import('react');
const h = React.createElement;

/** Panels grouped by the grid row they start on, in order. */
function gridRows(panels: PanelView[]): PanelView[][] {
  const rows = new Map<number, PanelView[]>();
  for (const panel of panels)
    rows.set(panel.gridPos.y, [...(rows.get(panel.gridPos.y) ?? []), panel]);
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

function panelBox(ink: Ink, panel: PanelView, columns: number, colour: boolean) {
  const width = Math.max(20, Math.floor((panel.gridPos.w / 24) * columns));
  const height = Math.max(4, panel.gridPos.h);
  const lines = panelLines(panel, width - 2, height, colour).slice(0, height);
  return h(
    ink.Box,
    {
      key: `${panel.gridPos.x},${panel.title}`,
      width,
      height: height + 3,
      borderStyle: 'round',
      borderColor: panel.error ? 'red' : 'gray',
      flexDirection: 'column',
    },
    h(ink.Text, { bold: true, wrap: 'truncate-end' }, panel.title),
    ...lines.map((line, i) =>
      // A reason is read whole; a chart's or a table's line is cut at the box.
      h(
        ink.Text,
        {
          key: i,
          wrap: panel.error ? 'wrap' : 'truncate-end',
          color: panel.error ? 'red' : undefined,
        },
        line,
      ),
    ),
  );
}

export function screenElement(ink: Ink, screen: Screen, columns: number, colour: boolean) {
  return h(
    ink.Box,
    { flexDirection: 'column', width: columns },
    h(ink.Text, { bold: true }, screen.title),
    h(ink.Text, { dimColor: true, wrap: 'truncate-end' }, screen.subtitle),
    ...gridRows(screen.panels).map((row, i) =>
      h(
        ink.Box,
        { key: i, flexDirection: 'row' },
        ...row.map((p) => panelBox(ink, p, columns, colour)),
      ),
    ),
  );
}

/** Draws one frame and leaves it on the screen: for --once and for output that is no terminal. */
export async function printScreen(screen: Screen, columns: number, colour: boolean): Promise<void> {
  const ink: Ink = await import('ink');
  const instance = ink.render(screenElement(ink, screen, columns, colour), {
    patchConsole: false,
  });
  instance.unmount();
  await instance.waitUntilExit();
}

export interface Live {
  /** The screen of dashboard `index`, fetched anew at each refresh. */
  load: (index: number) => Promise<Screen>;
  count: number;
  start: number;
  refreshMs: number;
}

/** The live dashboard: refreshed, moved with n/p, redrawn at each resize, until q. */
function LiveDashboard({ ink, live }: { ink: Ink; live: Live }) {
  const { exit } = ink.useApp();
  const { stdout } = ink.useStdout();
  const [index, setIndex] = React.useState(live.start);
  const [screen, setScreen] = React.useState<Screen | undefined>();
  const [columns, setColumns] = React.useState(stdout.columns || 80);
  React.useEffect(() => {
    const resized = () => setColumns(stdout.columns || 80);
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  React.useEffect(() => {
    let current = true;
    const refresh = () => live.load(index).then((next) => current && setScreen(next));
    refresh();
    const timer = setInterval(refresh, live.refreshMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [index, live]);
  ink.useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) exit();
    const step = input === 'n' || key.rightArrow ? 1 : input === 'p' || key.leftArrow ? -1 : 0;
    if (step !== 0) setIndex((i: number) => (i + step + live.count) % live.count);
  });
  if (!screen) return h(ink.Text, null, 'loading…');
  const help = `${screen.subtitle}  ·  q quits, n/p moves`;
  return screenElement(ink, { ...screen, subtitle: help }, columns, true);
}

export async function runLive(live: Live): Promise<void> {
  const ink: Ink = await import('ink');
  const instance = ink.render(h(LiveDashboard, { ink, live }), { exitOnCtrlC: false });
  await instance.waitUntilExit();
}
