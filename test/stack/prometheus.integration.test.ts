// Prometheus and Alertmanager from `obskit stack`, with the configs from collectors/prometheus/.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { getJson, poll, repoRoot, urlOf } from '../helpers/stack';

const configDir = join(repoRoot, 'collectors', 'prometheus');
const ruleFiles = readdirSync(join(configDir, 'rules')).filter((f) => f.endsWith('.yml'));

function tool(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: configDir, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

test('promtool accepts prometheus.yml and every rule file', () => {
  const config = tool('promtool', ['check', 'config', 'prometheus.yml']);
  assert.equal(config.code, 0, config.output);
  const rules = tool('promtool', ['check', 'rules', ...ruleFiles.map((f) => join('rules', f))]);
  assert.equal(rules.code, 0, rules.output);
});

test('promtool unit tests cover every alert, firing and not firing', () => {
  const testFiles = readdirSync(join(configDir, 'tests')).filter((f) => f.endsWith('.test.yml'));
  const result = tool('promtool', ['test', 'rules', ...testFiles.map((f) => join('tests', f))]);
  assert.equal(result.code, 0, result.output);
  const alerts = ruleFiles.flatMap((f) =>
    (
      parse(readFileSync(join(configDir, 'rules', f), 'utf8')) as {
        groups: { rules: { alert?: string }[] }[];
      }
    ).groups
      .flatMap((g) => g.rules)
      .flatMap((r) => (r.alert ? [r.alert] : [])),
  );
  const cases = testFiles.flatMap((f) =>
    (
      parse(readFileSync(join(configDir, 'tests', f), 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      }
    ).tests.flatMap((t) => t.alert_rule_test ?? []),
  );
  for (const alert of new Set(alerts)) {
    const mine = cases.filter((c) => c.alertname === alert);
    assert.ok(
      mine.some((c) => c.exp_alerts.length > 0),
      `${alert} is never tested firing`,
    );
    assert.ok(
      mine.some((c) => c.exp_alerts.length === 0),
      `${alert} is never tested silent`,
    );
  }
});

test('Prometheus is ready and has loaded every rule group of collectors/prometheus/rules', async () => {
  assert.equal((await fetch(urlOf('prometheus', '/-/ready'))).status, 200);
  const expected = ruleFiles
    .flatMap(
      (f) =>
        (
          parse(readFileSync(join(configDir, 'rules', f), 'utf8')) as {
            groups: { name: string; rules: unknown[] }[];
          }
        ).groups,
    )
    .map((g) => ({ name: g.name, rules: g.rules.length }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const loaded = await getJson<{
    data: { groups: { name: string; file: string; rules: unknown[] }[] };
  }>(urlOf('prometheus', '/api/v1/rules'));
  const actual = loaded.data.groups
    .map((g) => ({ name: g.name, rules: g.rules.length }))
    .sort((a, b) => a.name.localeCompare(b.name));
  assert.ok(expected.length > 0);
  assert.deepEqual(actual, expected);
});

test('Prometheus scrapes itself, Alertmanager and Jaeger', async () => {
  const up = await poll(
    'every scrape target up',
    async () => {
      const result = await getJson<{
        data: { result: { metric: { job: string }; value: [number, string] }[] };
      }>(
        urlOf(
          'prometheus',
          `/api/v1/query?query=${encodeURIComponent('up{job=~"prometheus|alertmanager|jaeger"}')}`,
        ),
      );
      const jobs = result.data.result
        .filter((r) => r.value[1] === '1')
        .map((r) => r.metric.job)
        .sort();
      return jobs.length === 3 ? jobs : undefined;
    },
    60_000,
  );
  assert.deepEqual(up, ['alertmanager', 'jaeger', 'prometheus']);
});

test('Prometheus sends its alerts to the Alertmanager of the stack', async () => {
  const urls = await poll('an active Alertmanager', async () => {
    const answer = await getJson<{ data: { activeAlertmanagers: { url: string }[] } }>(
      urlOf('prometheus', '/api/v1/alertmanagers'),
    );
    const found = answer.data.activeAlertmanagers.map((a) => a.url);
    return found.length > 0 ? found : undefined;
  });
  assert.deepEqual(urls, [urlOf('alertmanager', '/api/v2/alerts')]);
});

test('amtool accepts alertmanager.yml and Alertmanager is ready with it', async () => {
  const check = tool('amtool', ['check-config', 'alertmanager.yml']);
  assert.equal(check.code, 0, check.output);
  assert.equal((await fetch(urlOf('alertmanager', '/-/ready'))).status, 200);
  const status = await getJson<{ config: { original: string } }>(
    urlOf('alertmanager', '/api/v2/status'),
  );
  const route = (parse(status.config.original) as { route: { receiver: string } }).route;
  const expected = (
    parse(readFileSync(join(configDir, 'alertmanager.yml'), 'utf8')) as {
      route: { receiver: string };
    }
  ).route;
  assert.equal(route.receiver, expected.receiver);
});
