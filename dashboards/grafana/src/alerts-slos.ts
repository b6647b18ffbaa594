// Alerts and SLOs: what fires or is about to, and for each SLO of collectors/prometheus/slo.yml
// the error budget left, its burndown, and how fast each alert's pair of windows burns it, with
// the factor the alert fires at (rules of `obskit slo generate`).

import { burns, recordName, sloKinds, sloRecords } from '../../../collectors/prometheus/src/slo';
import { alertPanels, uids } from '../../../common/dashboard-ids';
import { prometheusSeries } from './backend-metrics';
import { buildDashboard } from './dashboard';
import { redBelow, redFrom, statPanel, tablePanel, timeSeries } from './panels';
import { promInstant, promRange, promTable } from './queries';

/** The bad ratio of every SLO over `window`, whatever its kind. */
const badRatio = (window: string) => sloKinds.map((slo) => recordName(slo, window)).join(' or ');

/** Every label an alert of ours carries, so that the table keeps them apart. */
const alertLabels =
  'alertname, alertstate, severity, service, instance, job, slo, long_window, discovered_service';

const alerts = [
  tablePanel({
    title: 'Alerts pending and firing',
    description:
      'Every alert rule whose condition holds now: pending until its `for:` has passed, then firing and sent to Alertmanager.',
    unit: 'none',
    span: 24,
    height: 7,
    targets: [promTable(`sum by (${alertLabels}) (${prometheusSeries.alerts.name})`)],
  }),
];

const budgets = [
  statPanel({
    title: 'Error budget left (30 days)',
    description:
      'The share of each SLO’s 30-day error budget not yet spent; below 0 the objective is missed.',
    unit: 'percentunit',
    span: 8,
    height: 8,
    thresholds: redBelow(0),
    targets: [promInstant(sloRecords.budgetRemaining, '{{service}} {{slo}}')],
  }),
  timeSeries({
    title: 'Error budget burndown',
    description:
      'The share of each SLO’s 30-day budget left, over time: a steep fall is a fast burn; below the dashed line the objective is missed.',
    unit: 'percentunit',
    span: 16,
    height: 8,
    thresholds: redBelow(0),
    targets: [promRange(sloRecords.budgetRemaining, '{{service}} {{slo}}')],
  }).min(-1),
];

/** One panel per alert: its long and short window, and the factor both must pass. */
const burnRates = burns.map((burn) =>
  timeSeries({
    title: `Burn rate over ${burn.long} and ${burn.short}`,
    description: `How many times faster than the budget allows each SLO burns it over ${burn.long} and ${burn.short}: 1 spends it in exactly 30 days. SLO…BudgetBurn (${burn.severity}) fires when both are above the dashed line, ${burn.factor}.`,
    unit: 'short',
    span: 12,
    height: 7,
    id: alertPanels.burnRate[burn.long],
    thresholds: redFrom(burn.factor),
    targets: [burn.long, burn.short].map((window) =>
      promRange(
        `(${badRatio(window)}) / on (service, slo) group_left ${sloRecords.errorBudget}`,
        `{{service}} {{slo}} ${window}`,
      ),
    ),
  }),
);

export const alertsSlos = () =>
  buildDashboard({
    uid: uids.alertsSlos,
    title: 'obskit / Alerts and SLOs',
    description: 'Alerts pending and firing, and each SLO’s error budget and burn rates.',
    variables: [],
    rows: [
      { title: 'Alerts', panels: alerts },
      { title: 'SLO error budgets', panels: budgets },
      { title: 'SLO burn rates', panels: burnRates },
    ],
  });
