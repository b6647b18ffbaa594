// The events the service and runtime dashboards mark on every chart: alerts firing for the
// chosen services, and process (re)starts, from Prometheus.

import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { runtime } from '../../../instrumentation/metrics/manifest';
import { prometheusSeries } from './backend-metrics';
import { prometheus } from './datasources';
import { matchers } from './promql';

/** Grafana's Prometheus annotation: the target runs, labels give the title and the tags. */
const promAnnotation = (name: string, color: string, expr: string) =>
  new AnnotationQueryBuilder()
    .name(name)
    .datasource(prometheus)
    .enable(true)
    .iconColor(color)
    .expr(expr)
    .step('30s')
    .target({ build: () => ({ refId: name, expr, interval: '30s' }) as never });

/** A red region while an alert of a chosen service fires. */
export const firingAlerts = () =>
  promAnnotation(
    'Alerts firing',
    'red',
    `${prometheusSeries.alerts.name}{${matchers('alertstate="firing"')}}`,
  )
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}} {{instance}}')
    .tagKeys('alertname,severity,service');

/** A marker at each process start (a restart is a new start time): the value is the time. */
export const restarts = () =>
  promAnnotation(
    'Restarts',
    'orange',
    `max by (service, instance) (${runtime.startTime.name}{${matchers()}}) * 1000`,
  )
    .useValueForTime(true)
    .titleFormat('{{service}} {{instance}} started')
    .tagKeys('service,instance');

export const serviceAnnotations = () => [firingAlerts(), restarts()];
