// Grafana's provisioning and dashboards as Grafana reads them, for tests that run their queries
// and follow their links against the real backends of the running stack.

import type { Dashboard } from '../../cli/grafana/model';
import * as provisioning from '../../cli/grafana/provisioning';
import { repoRoot, stack } from './stack';

export const provisionedDatasources = () => provisioning.provisionedDatasources(repoRoot);

export const datasourceOfType = (type: string) => provisioning.datasourceOfType(repoRoot, type);

export const committedDashboards = (): Dashboard[] =>
  provisioning.committedDashboards(repoRoot).map((d) => d.dashboard);

export const stackBackends = () => provisioning.stackBackends(stack);

/** Fills Grafana's `${name}` variables, as Grafana does for a link or a derived query. */
export const fillVariables = (template: string, values: Record<string, string>) =>
  template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole);
