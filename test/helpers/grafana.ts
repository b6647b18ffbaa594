// Grafana's provisioning files as Grafana reads them, for tests that run their queries and
// follow their links against the real backends.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Backends, Dashboard } from '../../cli/grafana/model';
import { repoRoot, urlOf } from './stack';

export interface ProvisionedDatasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData: Record<string, unknown>;
}

export const provisioningDir = join(repoRoot, 'dashboards', 'grafana', 'provisioning');

/** Grafana expands $VAR in provisioning files: `$$` stands for a literal `$`. */
const unescapeDollars = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
};

export function provisionedDatasources(): ProvisionedDatasource[] {
  const file = readFileSync(join(provisioningDir, 'datasources', 'obskit.yaml'), 'utf8');
  return unescapeDollars(parse(file).datasources) as ProvisionedDatasource[];
}

/** The one provisioned datasource of `type`. */
export function datasourceOfType(type: string): ProvisionedDatasource {
  const found = provisionedDatasources().filter((d) => d.type === type);
  if (found.length !== 1) throw new Error(`${found.length} datasources of type ${type}`);
  return found[0] as ProvisionedDatasource;
}

/** Fills Grafana's `${name}` variables, as Grafana does for a link or a derived query. */
export const fillVariables = (template: string, values: Record<string, string>) =>
  template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);

export const dashboardsDir = join(repoRoot, 'dashboards', 'grafana', 'dashboards');

/** The committed dashboards, as Grafana's file provider loads them. */
export function committedDashboards(): Dashboard[] {
  return readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as Dashboard);
}

/** The local stack's backends, with what the provisioned datasources add to their queries. */
export function stackBackends(): Backends {
  const { jsonData: es } = datasourceOfType('elasticsearch');
  const { jsonData: prom } = datasourceOfType('prometheus');
  return {
    prometheus: urlOf('prometheus'),
    jaeger: urlOf('jaeger', '', 'query'),
    elasticsearch: urlOf('elasticsearch'),
    logsIndex: es.index as string,
    scrapeIntervalS: Number.parseInt(prom.timeInterval as string, 10),
    exemplarTraceIdLabel: (prom.exemplarTraceIdDestinations as { name: string }[])[0]?.name ?? '',
  };
}
