// `obskit dash [dashboard]`: the committed Grafana dashboards drawn in a terminal from the
// stack's Prometheus, Elasticsearch and Jaeger — the same JSON Grafana loads, the same queries.

import { obskitError } from '../../common/errors';
import { localStackConfig } from '../../stack/local-stack';
import { parseDuration } from '../durations';
import type { Dashboard } from '../grafana/model';
import { committedDashboards, stackBackends } from '../grafana/provisioning';
import { resolveVariables, type Selections } from '../grafana/variables';
import { buildFrame, type PanelView, reasonOf } from './frame';
import { printScreen, runLive, type Screen } from './render';

export interface DashOptions {
  var?: string[];
  range?: string;
  refresh?: string;
  once?: boolean;
  json?: boolean;
}

function durationOption(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--${name} needs a duration such as 30s, 15m, 2h or 1d, not '${value}'`,
    );
  return ms;
}

/** --var name=value[,value…], checked against the dashboards' variables. */
function chosenValues(flags: string[], known: Set<string>): Record<string, string[]> {
  const chosen: Record<string, string[]> = {};
  for (const flag of flags) {
    const [name = '', value = ''] = flag.split(/=(.*)/s);
    if (!name || !value)
      throw obskitError('OBSKIT_E_USAGE', `--var needs name=value, not '${flag}'`);
    if (!known.has(name))
      throw obskitError(
        'OBSKIT_E_USAGE',
        `unknown variable '${name}'; the dashboards have: ${[...known].join(', ')}`,
      );
    chosen[name] = value.split(',');
  }
  return chosen;
}

/** The dashboard a name means: its file name, or the one file name it starts. */
function indexOf(names: string[], wanted: string): number {
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const starting = names.flatMap((name, i) => (name.startsWith(wanted) ? [i] : []));
  if (starting.length === 1) return starting[0] as number;
  throw obskitError('OBSKIT_E_USAGE', `no dashboard '${wanted}'; choose from: ${names.join(', ')}`);
}

const describeSelections = (selections: Selections) =>
  Object.entries(selections)
    .map(([name, s]) => `${name}=${s.allValue ?? s.values.join(',')}`)
    .join('  ');

export async function runDashCommand(args: string[], options: DashOptions): Promise<number> {
  const [wanted, ...extra] = args;
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  const config = localStackConfig();
  const dashboards = committedDashboards(config.packageRoot);
  if (!wanted) {
    for (const { name, dashboard } of dashboards)
      process.stdout.write(`${name.padEnd(22)}${dashboard.title}\n`);
    return 0;
  }
  const start = indexOf(
    dashboards.map((d) => d.name),
    wanted,
  );
  const rangeMs = durationOption('range', options.range ?? '15m');
  const refreshMs = durationOption('refresh', options.refresh ?? '5s');
  const known = new Set(
    dashboards.flatMap((d) => (d.dashboard.templating?.list ?? []).map((v) => v.name)),
  );
  const chosen = chosenValues(options.var ?? [], known);
  const backends = stackBackends(config);

  const load = async (index: number): Promise<Screen> => {
    const { dashboard } = dashboards[index] as { dashboard: Dashboard };
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
      subtitle: `last ${options.range ?? '15m'}  ${describeSelections(selections)}${problem}`,
      panels: await buildFrame(dashboard, selections, backends, range),
      range,
    };
  };

  if (options.once || options.json || !process.stdout.isTTY) {
    const screen = await load(start);
    if (options.json) process.stdout.write(`${JSON.stringify(jsonOf(screen), null, 2)}\n`);
    else await printScreen(screen, process.stdout.columns || 120, Boolean(process.stdout.isTTY));
    return screen.panels.some((p) => p.error) ? 1 : 0;
  }
  await runLive({ load, count: dashboards.length, start, refreshMs });
  return 0;
}

/** Each panel's title and what it would draw; charts as their series' points. */
const jsonOf = (screen: Screen) => ({
  dashboard: screen.title,
  subtitle: screen.subtitle,
  range: screen.range,
  panels: screen.panels.map(({ gridPos: _gridPos, ...panel }: PanelView) => panel),
});
