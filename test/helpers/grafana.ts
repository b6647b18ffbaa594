// Grafana's provisioning and dashboards as Grafana reads them, for tests that run their queries
// and follow their links against the real backends of the running stack.

import { join } from 'node:path';
import type { Dashboard, DatasourceRef, TimeRange } from '../../clients/grafana/model';
import * as provisioning from '../../clients/grafana/provisioning';
import { runTarget } from '../../clients/grafana/targets';
import { resolveVariables } from '../../clients/grafana/variables';
import { targetResults } from '../../dashboards/terminal/frame';
import type { DemoPlan } from '../../demo-services/launch/plan';
import { demoServicePid, logFileOf } from '../../demo-services/launch/services';
import { startProcess } from '../../stack/processes';
import { promQuery } from './prometheus';
import { metricNames, type Rule, trailingComparison } from './promql';
import { poll, repoRoot, stack } from './stack';

export const provisionedDatasources = () => provisioning.provisionedDatasources(repoRoot);

export const datasourceOfType = (type: string) => provisioning.datasourceOfType(repoRoot, type);

export const committedDashboards = (): Dashboard[] =>
  provisioning.committedDashboards(repoRoot).map((d) => d.dashboard);

export const stackBackends = () => provisioning.stackBackends(stack);

/** Fills Grafana's `${name}` variables, as Grafana does for a link or a derived query. */
export const fillVariables = (template: string, values: Record<string, string>) =>
  template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);

export interface Step {
  value: number | null;
  color: string;
}

/** The colour Grafana gives `value`: the last step at or below it (null is minus infinity). */
export const colourAt = (steps: Step[], value: number) =>
  steps.filter((s) => s.value === null || s.value <= value).at(-1)?.color;

/**
 * The steps change colour where the alert's condition starts to hold: a step at the very
 * number for `> x`, and another colour at the value for `== x` (a state: 0 down, 1 up).
 */
export function drawsLineAt(steps: Step[], op: string, at: number): boolean {
  const nudge = Math.abs(at) * 1e-6 + 1e-9;
  if (op === '==') return colourAt(steps, at) !== colourAt(steps, at + 1);
  const line = steps.some((s) => s.value !== null && Math.abs(s.value - at) < nudge);
  return line && colourAt(steps, at + nudge) !== colourAt(steps, at - nudge);
}

/** The panel an alert's `dashboard` annotation opens: /d/<uid>?viewPanel=panel-<id>. */
export function panelOfUrl(dashboards: Dashboard[], url: string) {
  const found = /^\/d\/([\w-]+)\?viewPanel=panel-(\d+)(&|$)/.exec(url);
  const dashboard = dashboards.find((d) => d.uid === found?.[1]);
  const panel = dashboard?.panels.find((p) => (p as { id?: number }).id === Number(found?.[2]));
  return panel && { dashboard, panel };
}

type Thresholded = { fieldConfig?: { defaults?: { thresholds?: { steps: Step[] } } } };

/**
 * For each alert rule, what is wrong with the panel its `dashboard` annotation opens: none
 * there, a metric of the rule it does not read, or no line at the number the rule fires at
 * (a burn-rate panel draws the ratio over the budget, so the alert's factor).
 */
export function alertPanelProblems(dashboards: Dashboard[], rules: Rule[]): string[] {
  const budgetOf = (group: string) => {
    const record = rules.find((r) => r.group === group && r.record === 'slo:error_budget:ratio');
    return Number(/vector\((.+)\)/.exec(record?.expr ?? '')?.[1] ?? 1);
  };
  return rules
    .filter((r) => r.alert)
    .flatMap((rule) => {
      const where = `${rule.alert} ${rule.labels?.long_window ?? ''}`;
      const found = panelOfUrl(dashboards, rule.annotations?.dashboard ?? '');
      const comparison = trailingComparison(rule.expr);
      if (!found) return [`${where}: no panel at ${rule.annotations?.dashboard}`];
      if (!comparison) return [`${where}: no threshold in ${rule.expr}`];
      const exprs = (found.panel.targets ?? []).map((t) => t.expr ?? '');
      const drawn = new Set(exprs.flatMap(metricNames));
      const missing = metricNames(rule.expr).filter((m) => !drawn.has(m));
      const steps = (found.panel as Thresholded).fieldConfig?.defaults?.thresholds?.steps ?? [];
      const at = comparison.value / (rule.group.startsWith('slo-') ? budgetOf(rule.group) : 1);
      return [
        ...(missing.length ? [`${where}: ${found.panel.title} does not read ${missing}`] : []),
        ...(drawsLineAt(steps, comparison.op, at)
          ? []
          : [`${where}: ${found.panel.title} draws no line at ${at}: ${JSON.stringify(steps)}`]),
      ];
    });
}

type Annotated = Dashboard & {
  annotations?: { list: { name: string; datasource: DatasourceRef; expr: string }[] };
};

/**
 * Every target of the dashboard titled `title` over `range`, or its annotation queries, with
 * `service` selected as a user would pick it.
 */
export async function resultsFor(
  title: string,
  options: { service?: string; annotations?: boolean },
  range: TimeRange,
) {
  const dashboard = committedDashboards().find((d) => d.title === title) as Annotated;
  if (!dashboard) throw new Error(`no dashboard ${title}`);
  const backends = stackBackends();
  const selections = await resolveVariables(dashboard, backends, range);
  if (options.service) selections.service = { values: [options.service], multi: false };
  if (!options.annotations) return targetResults(dashboard, selections, backends, range);
  return Promise.all(
    (dashboard.annotations?.list ?? []).map(({ name, datasource, expr }) =>
      runTarget(
        { type: 'annotation', title: name, datasource },
        { refId: name, datasource, expr },
        { backends, range, selections },
      ),
    ),
  );
}

/**
 * SIGKILLs the demo's second replica, waits for its TargetDown to fire (for: 1m), starts it
 * again as the demo does and waits for Prometheus to scrape the new process.
 */
export async function killAndRestartReplica(plan: DemoPlan) {
  const victim = plan.services.find((s) => s.name === 'entity-service-2');
  const pid = victim && demoServicePid(plan, victim.name);
  if (!victim || !pid) throw new Error('entity-service-2 does not run');
  const instance = `127.0.0.1:${victim.metricsPort}`;
  const from = Date.now();
  process.kill(pid, 'SIGKILL');
  const firing = `ALERTS{alertname="TargetDown", alertstate="firing", instance="${instance}"}`;
  // for: 1m after a scrape notices; then held 40 s, so that every 10 s step of a query sees it.
  const held = `count_over_time(${firing}[2m]) >= 4`;
  const seen = async (q: string) => ((await promQuery(q)).length > 0 ? true : undefined);
  await poll('TargetDown firing for 40 s', () => seen(held), 150_000);
  startProcess({
    command: process.execPath,
    args: [
      '-r',
      join(repoRoot, 'instrumentation'),
      join(repoRoot, 'dist', 'demo-services', 'entity-service', 'main.js'),
    ],
    cwd: repoRoot,
    env: victim.env,
    logFile: logFileOf(plan, victim),
    pidFile: join(plan.dir, victim.name, 'pid'),
  });
  const started = `process_start_time_seconds{instance="${instance}"} > ${from / 1000}`;
  await poll('the new replica scraped', () => seen(started), 60_000);
  return { instance, from };
}
