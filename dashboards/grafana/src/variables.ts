// The dashboards' variables: `$service` (the `service` label Prometheus puts on every target
// of the obskit-apps job) and `$instance`, chained to it. Both default to All.

import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { runtime } from '../../../instrumentation/metrics/manifest';
import { prometheus } from './datasources';

const labelValues = (name: string, label: string, query: string) =>
  new QueryVariableBuilder(name)
    .label(label)
    .datasource(prometheus)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: 'All', value: '$__all' });

/** Every instrumented service: each exports the runtime metrics, whatever else it does. */
export const serviceVariable = () =>
  labelValues('service', 'Service', `label_values(${runtime.cpu.name}, service)`);

export const instanceVariable = () =>
  labelValues(
    'instance',
    'Instance',
    `label_values(${runtime.cpu.name}{service=~"$service"}, instance)`,
  );
