// SLO rules from one small spec: error and slowness ratios recorded over the workbook's
// windows, and alerts that page on a fast burn of the 30-day error budget and open a ticket on
// a slow one, each confirmed by a short window so they stop soon after the burn does.

import { stringify } from 'yaml';
import { alertPanels, panelUrl, uids } from '../../../common/dashboard-ids';
import { obskitError } from '../../../common/errors';
import { durationBuckets, red } from '../../../instrumentation/metrics/manifest';

export interface SloSpec {
  service: string;
  availability?: number;
  latency?: { objective: number; threshold_seconds: number };
}

/** Burn rates and windows of the SRE workbook's multi-window, multi-burn-rate alerts. */
export const burns = [
  { severity: 'critical', long: '1h', short: '5m', factor: 14.4, for: '2m' },
  { severity: 'critical', long: '6h', short: '30m', factor: 6, for: '15m' },
  { severity: 'warning', long: '1d', short: '2h', factor: 3, for: '1h' },
  { severity: 'warning', long: '3d', short: '6h', factor: 1, for: '3h' },
] as const;

export const windows = [...new Set(burns.flatMap((b) => [b.long, b.short]))];

/** The SLO period, over which the error budget is spent. */
const period = { days: 30, window: '30d', shortest: '5m' } as const;

const metric = red.httpServer.name;

/** The kinds of SLO a spec can set, each with its own recorded ratio. */
export const sloKinds = ['availability', 'latency'] as const;

interface Indicator {
  slo: (typeof sloKinds)[number];
  objective: number;
  /** PromQL of the bad-event ratio over `window`. */
  ratio: (window: string) => string;
  /** Bad events per second over `window`: 0, not nothing, while none is bad. */
  badRate: (window: string) => string;
  /** All events per second over `window`. */
  totalRate: (window: string) => string;
  describe: string;
}

function indicators(spec: SloSpec): Indicator[] {
  const sel = (extra = '') => `{service="${spec.service}"${extra}}`;
  const total = (w: string) => `sum(rate(${metric}_count${sel()}[${w}]))`;
  // Divided by the requests only where there are some: no traffic is a gap, never 0/0 = NaN.
  const perRequest = (bad: string, w: string) => `${bad} / (${total(w)} > 0)`;
  const result: Indicator[] = [];
  if (spec.availability !== undefined) {
    // A window without a 5xx is 0, not nothing: the 5xx series exists only after the first one.
    const bad = (w: string) =>
      `(sum(rate(${metric}_count${sel(',http_response_status_code=~"5.."')}[${w}])) or ${total(w)} * 0)`;
    result.push({
      slo: 'availability',
      objective: spec.availability,
      ratio: (w) => perRequest(bad(w), w),
      badRate: bad,
      totalRate: total,
      describe: `${spec.availability}% of HTTP requests without a 5xx`,
    });
  }
  if (spec.latency) {
    const le = spec.latency.threshold_seconds;
    const bad = (w: string) =>
      `(${total(w)} - sum(rate(${metric}_bucket${sel(`,le="${le}"`)}[${w}])))`;
    result.push({
      slo: 'latency',
      objective: spec.latency.objective,
      ratio: (w) => perRequest(bad(w), w),
      badRate: bad,
      totalRate: total,
      describe: `${spec.latency.objective}% of HTTP requests faster than ${le} s`,
    });
  }
  return result;
}

function validate(spec: SloSpec): void {
  const percent = (v: number) => Number.isFinite(v) && v > 0 && v < 100;
  if (!spec.service) throw obskitError('OBSKIT_E_SLO_SPEC', 'an SLO has no service');
  if (spec.availability !== undefined && !percent(spec.availability)) {
    throw obskitError(
      'OBSKIT_E_SLO_SPEC',
      `${spec.service}: availability must be a percentage between 0 and 100`,
    );
  }
  if (spec.latency && !percent(spec.latency.objective)) {
    throw obskitError(
      'OBSKIT_E_SLO_SPEC',
      `${spec.service}: latency.objective must be a percentage between 0 and 100`,
    );
  }
  if (
    spec.latency &&
    !(durationBuckets as readonly number[]).includes(spec.latency.threshold_seconds)
  ) {
    throw obskitError(
      'OBSKIT_E_SLO_SPEC',
      `${spec.service}: latency.threshold_seconds must be one of the buckets ${durationBuckets.join(', ')}`,
    );
  }
}

export const recordName = (slo: string, window: string) =>
  `slo:http_${slo}_bad:ratio_rate${window}`;

/** What dashboards read for every SLO alike, named as Sloth names them. */
export const sloRecords = {
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

/**
 * The period's bad ratio from 5-minute rates summed over 30 days (cheap, and an idle
 * stretch adds nothing rather than a 0/0), then the share of the error budget left.
 */
function periodRecords(
  indicator: Indicator,
  labels: { service: string; slo: string },
  budget: number,
) {
  const sel = `{service="${labels.service}",slo="${labels.slo}"}`;
  const rate = (record: string) => `sum_over_time(${record}${sel}[${period.window}])`;
  const bad = `slo:http_${labels.slo}_bad:rate${period.shortest}`;
  const requests = `slo:http_requests:rate${period.shortest}`;
  const long = recordName(labels.slo, period.window);
  return [
    {
      record: sloRecords.objective,
      expr: `vector(${Number((indicator.objective / 100).toPrecision(6))})`,
      labels,
    },
    { record: sloRecords.errorBudget, expr: `vector(${budget})`, labels },
    { record: requests, expr: indicator.totalRate(period.shortest), labels },
    { record: bad, expr: indicator.badRate(period.shortest), labels },
    { record: long, expr: `${rate(bad)} / ${rate(requests)}`, labels },
    { record: sloRecords.budgetRemaining, expr: `1 - ${long}${sel} / ${budget}`, labels },
  ];
}

function rulesFor(spec: SloSpec) {
  validate(spec);
  return indicators(spec).map((indicator) => {
    const budget = Number((1 - indicator.objective / 100).toPrecision(6));
    const labels = { service: spec.service, slo: indicator.slo };
    const records = windows.map((window) => ({
      record: recordName(indicator.slo, window),
      expr: indicator.ratio(window),
      labels,
    }));
    const meta = periodRecords(indicator, labels, budget);
    const alerts = burns.map((burn) => {
      const threshold = Number((burn.factor * budget).toPrecision(6));
      const sel = `{service="${spec.service}",slo="${indicator.slo}"}`;
      return {
        alert: `SLO${indicator.slo[0]?.toUpperCase()}${indicator.slo.slice(1)}BudgetBurn`,
        expr: `${recordName(indicator.slo, burn.long)}${sel} > ${threshold} and ${recordName(indicator.slo, burn.short)}${sel} > ${threshold}`,
        for: burn.for,
        labels: { severity: burn.severity, long_window: burn.long },
        annotations: {
          summary: `${spec.service} burns its ${indicator.slo} error budget ${burn.factor}x too fast`,
          description: `Objective: ${indicator.describe} over 30 days. Over the last ${burn.long} (and ${burn.short}) the bad-request ratio is above ${threshold}: at this pace the budget lasts ${Number((period.days / burn.factor).toPrecision(3))} days.`,
          runbook:
            'Look at the exemplars of the failing or slow requests for their traces; roll back a recent change if the burn started with it.',
          dashboard: panelUrl(uids.alertsSlos, alertPanels.burnRate[burn.long]),
        },
      };
    });
    return {
      name: `slo-${spec.service}-${indicator.slo}`,
      rules: [...records, ...meta, ...alerts],
    };
  });
}

export const generatedHeader =
  '# Generated by `obskit slo generate` from collectors/prometheus/slo.yml: do not edit.\n';

export function generateSloRules(specs: SloSpec[]): string {
  return (
    generatedHeader +
    stringify({ groups: specs.flatMap(rulesFor) }, { lineWidth: 0, aliasDuplicateObjects: false })
  );
}
