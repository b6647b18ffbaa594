// `obskit dash [dashboard]`: the committed Grafana dashboards drawn in a terminal from the
// stack's Prometheus, Elasticsearch and Jaeger — the same JSON Grafana loads, the same queries.

import { committedDashboards, stackBackends } from '../clients/grafana/provisioning';
import { parseDuration } from '../common/durations';
import { obskitError } from '../common/errors';
import { printScreen, runLive } from '../dashboards/terminal/render';
import { loadScreen, type Screen, screenJson } from '../dashboards/terminal/screen';
import { localStackConfig } from '../stack/local-stack';
import { parseOptions } from './options';

export const dashOptions = {
  var: { type: 'string', multiple: true },
  range: { type: 'string' },
  refresh: { type: 'string' },
  once: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

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
  const [only, ...more] = names.flatMap((name, i) => (name.startsWith(wanted) ? [i] : []));
  if (only !== undefined && more.length === 0) return only;
  throw obskitError('OBSKIT_E_USAGE', `no dashboard '${wanted}'; choose from: ${names.join(', ')}`);
}

export async function runDashCommand(argv: string[]): Promise<number> {
  const { values: options, positionals } = parseOptions(argv, dashOptions);
  const [wanted, ...extra] = positionals;
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
  const rangeText = options.range ?? '15m';
  const rangeMs = durationOption('range', rangeText);
  const refreshMs = durationOption('refresh', options.refresh ?? '5s');
  const known = new Set(
    dashboards.flatMap((d) => (d.dashboard.templating?.list ?? []).map((v) => v.name)),
  );
  const chosen = chosenValues(options.var ?? [], known);
  const request = { backends: stackBackends(config), rangeMs, rangeText, chosen };
  const load = async (index: number): Promise<Screen> => {
    const entry = dashboards[index];
    if (!entry) throw new Error(`no dashboard number ${index}`);
    return loadScreen(entry.dashboard, request);
  };

  if (options.once || options.json || !process.stdout.isTTY) {
    const screen = await load(start);
    if (options.json) process.stdout.write(`${JSON.stringify(screenJson(screen), null, 2)}\n`);
    else await printScreen(screen, process.stdout.columns || 120, Boolean(process.stdout.isTTY));
    return screen.panels.some((p) => p.error) ? 1 : 0;
  }
  await runLive({ load, count: dashboards.length, start, refreshMs });
  return 0;
}
