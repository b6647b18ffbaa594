// The Lens visualisations of the logs dashboard: volume by level, errors over time by service, the most
// frequent error messages, lines per host.

import { ids } from './ids';
import { barChart, count, overTime, table, topValues } from './lens';
import { queries } from './queries';

export const visualisations = () => [
  barChart({
    id: ids.logVolume,
    title: '[obskit] Log volume by level',
    description: 'Log lines per interval, stacked by log.level.',
    query: queries.all,
    seriesType: 'bar_stacked',
    split: topValues('log.level', 10),
    x: overTime('@timestamp'),
    y: count('Lines'),
  }),
  barChart({
    id: ids.errorsByService,
    title: '[obskit] Errors over time by service',
    description: 'Lines at log.level error per interval, stacked by service.name.',
    query: queries.errors,
    seriesType: 'bar_stacked',
    split: topValues('service.name', 10),
    x: overTime('@timestamp'),
    y: count('Error lines'),
  }),
  table({
    id: ids.topErrorMessages,
    title: '[obskit] Top error messages',
    description: 'The most frequent error.message of the lines at log.level error.',
    query: queries.errors,
    // The template's keyword multi-field: the text field has no terms to count.
    rows: topValues('error.message.keyword', 10),
    metric: count('Lines'),
  }),
  barChart({
    id: ids.linesPerHost,
    title: '[obskit] Lines per host',
    description: 'Log lines by host.name, stacked by service.name.',
    query: queries.all,
    seriesType: 'bar_horizontal_stacked',
    x: topValues('host.name', 10),
    split: topValues('service.name', 10),
    y: count('Lines'),
  }),
];
