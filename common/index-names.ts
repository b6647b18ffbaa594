// The Elasticsearch names that writers (rsyslog, Fluentd, Jaeger, the index template) and
// readers (Kibana's data view, Grafana, obskit's commands, retention) must agree on.

import { join } from 'node:path';

/** A family of daily indices: a pattern to list them and the shape of a name with its day. */
export interface DailyIndices {
  pattern: string;
  name: RegExp;
}

/** The daily log indices, obskit-logs-YYYY.MM.DD. */
export const dailyLogIndices: DailyIndices = {
  pattern: 'obskit-logs-*',
  name: /^obskit-logs-(\d{4})\.(\d{2})\.(\d{2})$/,
};

/** Every daily log index, for searches and for retention. */
export const logsIndexPattern = dailyLogIndices.pattern;

/** Jaeger's daily indices in Elasticsearch (index_prefix and date_layout of its storage file). */
export const traceIndices: DailyIndices = {
  pattern: 'obskit-jaeger-*',
  name: /^obskit-jaeger-[a-z]+-(\d{4})\.(\d{2})\.(\d{2})$/,
};

/** The ECS index template of the log indices. */
export const logsTemplateName = 'obskit-logs';

/** The template's file in collectors/elasticsearch, under the package root. */
export const logsTemplatePath = (packageRoot: string) =>
  join(packageRoot, 'collectors', 'elasticsearch', 'logs-template.json');
