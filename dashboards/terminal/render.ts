// The dashboard drawn in a terminal with ink: panels in the rows and widths of their gridPos,
// scaled to the terminal; q quits, n/p or the arrows move between dashboards, a resize redraws.

import type { PanelView } from './frame';
import { panelLines } from './panel-text';
import type { Screen } from './screen';

type Ink = typeof import('ink', { with: { 'resolution-mode': 'import' }});
const React = require('react') as typeof import('react');
const h = React.createElement;

/** Panels grouped by the grid row they start on, in order, each row left to right. */
function gridRows(panels: PanelView[]): PanelView[][] {
  const rows = new Map<number, PanelView[]>();
  for (const panel of panels)
    rows.set(panel.gridPos.y, [...(rows.get(panel.gridPos.y) ?? []), panel]);
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, row]) => row.sort((a, b) => a.gridPos.x - b.gridPos.x));
}

/** The terminal columns a panel's grid span covers: edges rounded once, so a row never overflows. */
export function spanOf(gridPos: PanelView['gridPos'], columns: number): [number, number] {
  const edge = (x: number) => Math.floor((Math.min(24, Math.max(0, x)) / 24) * columns);
  return [edge(gridPos.x), edge(gridPos.x + gridPos.w)];
}

function panelBox(
  ink: Ink,
  panel: PanelView,
  screen: Screen,
  span: [number, number],
  marginLeft: number,
  colour: boolean,
) {
  const width = Math.max(3, span[1] - span[0]);
  const height = Math.max(4, panel.gridPos.h);
  const lines = panelLines(panel, width - 2, height, colour, screen.range).slice(0, height);
  return h(
    ink.Box,
    {
      key: `${panel.gridPos.x},${panel.title}`,
      width,
      marginLeft,
      flexShrink: 0,
      height: height + 3,
      borderStyle: 'round',
      borderColor: panel.error ? 'red' : 'gray',
      flexDirection: 'column',
      overflow: 'hidden',
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

function rowElement(
  ink: Ink,
  row: PanelView[],
  screen: Screen,
  columns: number,
  colour: boolean,
  key: number,
) {
  let cursor = 0;
  const boxes = row.map((panel) => {
    const span = spanOf(panel.gridPos, columns);
    const margin = Math.max(0, span[0] - cursor);
    cursor = Math.max(cursor, span[1]);
    return panelBox(ink, panel, screen, span, margin, colour);
  });
  return h(ink.Box, { key, flexDirection: 'row', width: columns, overflow: 'hidden' }, ...boxes);
}

export function screenElement(ink: Ink, screen: Screen, columns: number, colour: boolean) {
  return h(
    ink.Box,
    { flexDirection: 'column', width: columns },
    h(ink.Text, { bold: true, wrap: 'truncate-end' }, screen.title),
    h(ink.Text, { dimColor: true, wrap: 'truncate-end' }, screen.subtitle),
    ...gridRows(screen.panels).map((row, i) => rowElement(ink, row, screen, columns, colour, i)),
  );
}

/** Draws one frame and leaves it on the screen: for --once and for output that is no terminal. */
export async function printScreen(screen: Screen, columns: number, colour: boolean): Promise<void> {
  const ink: Ink = await import('ink');
  // Ink lays out to stdout's width, 80 where stdout is no terminal: the frame's width is ours.
  if (!process.stdout.isTTY) process.stdout.columns = columns;
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
