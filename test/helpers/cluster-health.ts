// The cluster topology's stores and a Prometheus of their own for a test: `obskit stack up
// --topology cluster --only elasticsearch,elasticsearch-exporter,etcd,prometheus` in a run
// directory and on ports of its own (Alertmanager's port points nowhere, so no alert leaves);
// the cluster dashboard's panels as Grafana would run them, Prometheus' alerts, test copies of
// the alert rules with a short `for`, and a member SIGKILLed.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TimeRange } from '../../clients/grafana/model';
import { stackBackends } from '../../clients/grafana/provisioning';
import type { TargetResult } from '../../clients/grafana/targets';
import { uids } from '../../common/dashboard-ids';
import { alertRules } from '../../dashboards/grafana/src/alert-rules';
import { targetResults } from '../../dashboards/terminal/frame';
import type { BackendStatus } from '../../stack/lifecycle';
import { localStackConfig } from '../../stack/local-stack';
import { committedDashboards } from './grafana';
import { type CliResult, getJson, runCliAsync } from './stack';

export const runDir = mkdtempSync(join(tmpdir(), 'obskit-cluster-health-'));
// The nodes run as an unprivileged user when the test runs as root: it must reach their folders.
chmodSync(runDir, 0o755);

const prometheusPort = 29190;

/** Every port away from the stack's and the other cluster tests', below the ephemeral range. */
export const env: NodeJS.ProcessEnv = {
  OBSKIT_RUN_DIR: runDir,
  OBSKIT_TOPOLOGY: 'cluster',
  OBSKIT_PORT_PROMETHEUS: String(prometheusPort),
  OBSKIT_PORT_ALERTMANAGER: '29193',
  ...Object.fromEntries(
    [1, 2, 3].flatMap((n) => {
      const member = n === 1 ? '' : `_${n}`;
      return [
        [`OBSKIT_PORT_ELASTICSEARCH${member}_HTTP`, String(29210 + n)],
        [`OBSKIT_PORT_ELASTICSEARCH${member}_TRANSPORT`, String(29310 + n)],
        [`OBSKIT_PORT_ELASTICSEARCH_EXPORTER${member}`, String(29120 + n)],
        [`OBSKIT_PORT_ETCD${member}_CLIENT`, String(29470 + 2 * n)],
        [`OBSKIT_PORT_ETCD${member}_PEER`, String(29471 + 2 * n)],
      ];
    }),
  ),
};

export const config = localStackConfig({ ...process.env, ...env });

export const nodeHttpPorts = [29211, 29212, 29213];

const only = 'elasticsearch,elasticsearch-exporter,etcd,prometheus';

export const clusterCli = (verb: 'up' | 'down' | 'status', ...more: string[]): Promise<CliResult> =>
  runCliAsync(['stack', verb, '--topology', 'cluster', '--only', only, ...more], env);

/** Each member's status (`stack status --json`; exit 1 while one is down). */
export async function statuses(): Promise<BackendStatus[]> {
  const result = await clusterCli('status', '--json');
  try {
    return JSON.parse(result.stdout) as BackendStatus[];
  } catch {
    throw new Error(`stack status --json: ${result.code} ${result.stdout} ${result.stderr}`);
  }
}

/** SIGKILL to the member's whole process group (an Elasticsearch node's launcher and JVM). */
export function kill(status: BackendStatus | undefined): void {
  if (!status?.pid) throw new Error(`${status?.name} has no pid`);
  process.kill(-status.pid, 'SIGKILL');
}

const prometheus = `http://127.0.0.1:${prometheusPort}`;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export const promQuery = async (promql: string): Promise<Sample[]> =>
  (
    await getJson<{ data: { result: Sample[] } }>(
      `${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`,
    )
  ).data.result;

/** The states of alert `name` (pending, firing), none when it is inactive. */
export const alertStates = async (name: string) =>
  (await promQuery(`ALERTS{alertname="${name}"}`)).map((s) => s.metric.alertstate ?? '').sort();

/** The alerts the test copies with a short `for`, so that they fire within the test. */
export const testedAlerts = [
  'ElasticsearchClusterRed',
  'ElasticsearchClusterYellow',
  'etcdMembersDown',
  'etcdNoLeader',
];

/**
 * `<Alert>Test`: each tested rule's own expression, `for: 5s`, in a rule file of the running
 * Prometheus' rendered copy, then a reload; the real rules stay loaded beside them.
 */
export async function loadTestRules(): Promise<void> {
  const rules = alertRules()
    .filter((r) => testedAlerts.includes(r.alert))
    .map((r) => ({ alert: `${r.alert}Test`, expr: r.expr, for: '5s' }));
  const file = join(runDir, 'prometheus', 'config', 'rules', 'cluster-test.yml');
  writeFileSync(file, stringify({ groups: [{ name: 'obskit-cluster-test', rules }] }));
  const reload = await fetch(`${prometheus}/-/reload`, { method: 'POST' });
  if (!reload.ok) throw new Error(`reload answered ${reload.status}`);
}

/** Every panel of the cluster dashboard over `range`: its title and each row's last value. */
export async function panelValues(range: TimeRange): Promise<Record<string, string[]>> {
  const dashboard = committedDashboards().find((d) => d.uid === uids.cluster);
  if (!dashboard) throw new Error('no cluster dashboard');
  const results = await targetResults(dashboard, {}, stackBackends(config), range);
  return Object.fromEntries(results.map((r) => [r.panel, lastValues(r)]));
}

type Row = {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
};

/** Each row's value (instant) or last point (range), sorted: which member holds which varies. */
function lastValues(result: TargetResult): string[] {
  return (result.rows as Row[])
    .map((row) => (row.value ?? row.values?.at(-1))?.[1] ?? 'none')
    .sort();
}

/** Resident memory of a member's whole process group (an Elasticsearch node's launcher and JVM), in MB. */
export function rssMb(status: BackendStatus): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(status.pid)], { encoding: 'utf8' });
  const kb = out.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0);
  return Math.round(kb / 1024);
}
