// The transports OBSKIT_LOG_TRANSPORTS names, each made once per logger.

import type Transport from 'winston-transport';
import type { LogsConfig, LogTransportName } from '../config';
import { fluentdTransport } from './fluentd';
import { syslogTransport } from './syslog';

export function createTransports(logs: LogsConfig, serviceName: string): Transport[] {
  const factories: Record<LogTransportName, () => Transport> = {
    // JSON lines on stdout, as twelve-factor apps and container runtimes expect.
    console: () => {
      const { transports } = require('winston') as typeof import('winston');
      return new transports.Console();
    },
    syslog: () => syslogTransport(logs, serviceName),
    fluentd: () => fluentdTransport(logs),
  };
  return logs.transports.map((name) => factories[name]());
}
