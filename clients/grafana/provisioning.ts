// Grafana's provisioning and dashboard files as Grafana reads them, and the local stack's
// backends behind the provisioned datasources: what `obskit dash` and the tests query.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { backendPortOf } from '../../stack/ports';
import type { StackConfig } from '../../stack/types';
import type { Backends, Dashboard } from './model';

export interface ProvisionedDatasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData: Record<string, unknown>;
}

const grafanaDir = (packageRoot: string) => join(packageRoot, 'dashboards', 'grafana');

/** Grafana expands $VAR in provisioning files: `$$` stands for a literal `$`. */
const unescapeDollars = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
};

export function provisionedDatasources(packageRoot: string): ProvisionedDatasource[] {
  const file = join(grafanaDir(packageRoot), 'provisioning', 'datasources', 'obskit.yaml');
  return unescapeDollars(parse(readFileSync(file, 'utf8')).datasources) as ProvisionedDatasource[];
}

/** The one provisioned datasource of `type`. */
export function datasourceOfType(packageRoot: string, type: string): ProvisionedDatasource {
  const found = provisionedDatasources(packageRoot).filter((d) => d.type === type);
  const [only] = found;
  if (found.length !== 1 || !only) throw new Error(`${found.length} datasources of type ${type}`);
  return only;
}

/** Where the generated dashboards are committed, and Grafana's file provider reads them. */
export const dashboardsDirOf = (packageRoot: string) => join(grafanaDir(packageRoot), 'dashboards');

/** The committed dashboards, by file name without .json, as Grafana's file provider loads them. */
export function committedDashboards(packageRoot: string): { name: string; dashboard: Dashboard }[] {
  const dir = dashboardsDirOf(packageRoot);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: basename(file, '.json'),
      dashboard: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Dashboard,
    }));
}

/** A string setting of a provisioned datasource's jsonData. */
function setting(datasource: ProvisionedDatasource, key: string): string {
  const value = datasource.jsonData[key];
  if (typeof value !== 'string') throw new Error(`datasource ${datasource.name}: no ${key}`);
  return value;
}

/** The local stack's backends, with what the provisioned datasources add to their queries. */
export function stackBackends(config: StackConfig): Backends {
  const es = datasourceOfType(config.packageRoot, 'elasticsearch');
  const prom = datasourceOfType(config.packageRoot, 'prometheus');
  const url = (backend: string, port?: string) =>
    `http://127.0.0.1:${backendPortOf(config, backend, port)}`;
  return {
    prometheus: url('prometheus'),
    jaeger: url('jaeger', 'query'),
    elasticsearch: url('elasticsearch'),
    logsIndex: setting(es, 'index'),
    scrapeIntervalS: Number.parseInt(setting(prom, 'timeInterval'), 10),
    exemplarTraceIdLabel:
      (prom.jsonData.exemplarTraceIdDestinations as { name: string }[])[0]?.name ?? '',
  };
}
