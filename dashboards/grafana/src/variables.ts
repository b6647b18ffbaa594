// The dashboards' variables: `$service` (the `service` label Prometheus puts on every target
// of the obskit-apps job) and `$instance`, chained to it. Both default to All, but for a
// dashboard about one service, which opens on the first.

import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { runtime } from '../../../instrumentation/metrics/manifest';
import { prometheus } from './datasources';

function labelValues(name: string, label: string, query: string, several = true) {
  const variable = new QueryVariableBuilder(name)
    .label(label)
    .datasource(prometheus)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(several)
    .includeAll(several);
  return several ? variable.current({ selected: true, text: 'All', value: '$__all' }) : variable;
}

/** Every instrumented service: each exports the runtime metrics, whatever else it does. */
export const serviceVariable = (several = true) =>
  labelValues('service', 'Service', `label_values(${runtime.cpu.name}, service)`, several);

export const instanceVariable = () =>
  labelValues(
    'instance',
    'Instance',
    `label_values(${runtime.cpu.name}{service=~"$service"}, instance)`,
  );
