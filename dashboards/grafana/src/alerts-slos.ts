// Alerts and SLOs: what fires or is about to, and for each SLO of collectors/prometheus/slo.yml
// the error budget left and how fast each alert window burns it (rules of `obskit slo generate`).

import { recordName, sloKinds, sloRecords, windows } from '../../../cli/slo';
import { prometheusSeries } from './backend-metrics';
import { buildDashboard } from './dashboard';
import { statPanel, tablePanel, timeSeries } from './panels';
import { promInstant, promRange } from './queries';
import { uids } from './uids';

/** The bad ratio of every SLO over `window`, whatever its kind. */
const badRatio = (window: string) => sloKinds.map((slo) => recordName(slo, window)).join(' or ');

const alerts = [
  tablePanel({
    title: 'Alerts pending and firing',
    description:
      'Every alert rule whose condition holds now: pending until its `for:` has passed, then firing and sent to Alertmanager.',
    unit: 'none',
    span: 24,
    height: 7,
    targets: [
      promInstant(
        `sum by (alertname, severity, alertstate, service, instance) (${prometheusSeries.alerts.name})`,
      ),
    ],
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
    targets: [promInstant(sloRecords.budgetRemaining, '{{service}} {{slo}}')],
  }),
  timeSeries({
    title: 'Burn rate by alert window',
    description:
      'How many times faster than the budget allows each window burns it: 1 spends the budget in exactly 30 days; the page fires above 14.4 (1h) and 6 (6h).',
    unit: 'short',
    span: 16,
    height: 8,
    targets: windows.map((window) =>
      promRange(
        `(${badRatio(window)}) / on (service, slo) group_left ${sloRecords.errorBudget}`,
        `{{service}} {{slo}} ${window}`,
      ),
    ),
  }),
];

export const alertsSlos = () =>
  buildDashboard({
    uid: uids.alertsSlos,
    title: 'obskit / Alerts and SLOs',
    description: 'Alerts pending and firing, and each SLO’s error budget and burn rates.',
    variables: [],
    rows: [
      { title: 'Alerts', panels: alerts },
      { title: 'SLOs', panels: budgets },
    ],
  });
