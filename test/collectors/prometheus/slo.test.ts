// SLO rules from the spec: the committed file is current, and a bad spec is one clear line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSloRules } from '../../../collectors/prometheus/src/slo';
import { ObskitError } from '../../../common/errors';
import { runCli } from '../../helpers/stack';

test('the committed SLO rules are what collectors/prometheus/slo.yml gives', () => {
  const result = runCli(['slo', 'check']);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
});

const bad: [string, Parameters<typeof generateSloRules>[0], string][] = [
  ['no service', [{ service: '', availability: 99 }], 'bad SLO spec: an SLO has no service'],
  [
    'availability of 100',
    [{ service: 'a', availability: 100 }],
    'bad SLO spec: a: availability must be a percentage between 0 and 100',
  ],
  [
    'a threshold that is no bucket',
    [{ service: 'a', latency: { objective: 99, threshold_seconds: 0.3 } }],
    'bad SLO spec: a: latency.threshold_seconds must be one of the buckets 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10',
  ],
];

for (const [name, specs, message] of bad) {
  test(`an SLO spec with ${name} is refused with one line`, () => {
    assert.throws(
      () => generateSloRules(specs),
      (error: unknown) =>
        error instanceof ObskitError &&
        error.code === 'OBSKIT_E_SLO_SPEC' &&
        error.message === message,
    );
  });
}

test('each objective gives recording rules for 7 alert windows and the period, its budget and 4 burn-rate alerts', () => {
  const rules = generateSloRules([{ service: 'checkout', availability: 99.5 }]);
  assert.equal((rules.match(/- record: slo:http_availability_bad:ratio_rate/g) ?? []).length, 8);
  assert.match(rules, /record: slo:objective:ratio\n {8}expr: vector\(0\.995\)\n/);
  assert.match(rules, /record: slo:error_budget:ratio\n {8}expr: vector\(0\.005\)\n/);
  assert.match(
    rules,
    /expr: 1 - slo:http_availability_bad:ratio_rate30d\{service="checkout",slo="availability"\} \/ 0\.005\n/,
  );
  assert.equal((rules.match(/- alert: SLOAvailabilityBudgetBurn/g) ?? []).length, 4);
  // 14.4 x a 0.5% budget.
  assert.match(rules, /ratio_rate1h\{service="checkout",slo="availability"\} > 0\.072 and/);
});

test('every window ratio is 0 without a bad request and a gap without requests, never NaN', () => {
  const rules = generateSloRules([
    { service: 'checkout', availability: 99.5, latency: { objective: 99, threshold_seconds: 1 } },
  ]);
  const ratios = [...rules.matchAll(/record: slo:http_(\w+)_bad:ratio_rate(\w+)\n {8}expr: (.+)/g)];
  assert.equal(ratios.length, 16);
  for (const [, slo, window, expr] of ratios) {
    if (window === '30d') continue;
    const total = `sum(rate(http_server_request_duration_seconds_count{service="checkout"}[${window}]))`;
    assert.ok(expr?.endsWith(` / (${total} > 0)`), `${slo} ${window}: ${expr}`);
    if (slo === 'availability') assert.ok(expr?.includes(` or ${total} * 0)`), expr);
  }
});

test('each burn-rate alert opens the panel of its windows on the Alerts and SLOs dashboard', () => {
  const rules = generateSloRules([{ service: 'checkout', availability: 99.5 }]);
  const urls = [...rules.matchAll(/long_window: (\w+)\n[\s\S]*?dashboard: (\S+)/g)].map(
    ([, window, url]) => `${window} ${url}`,
  );
  assert.deepEqual(urls, [
    '1h /d/obskit-alerts-slos?viewPanel=panel-141',
    '6h /d/obskit-alerts-slos?viewPanel=panel-142',
    '1d /d/obskit-alerts-slos?viewPanel=panel-143',
    '3d /d/obskit-alerts-slos?viewPanel=panel-144',
  ]);
});
