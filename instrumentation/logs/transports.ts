// The transports OBSKIT_LOG_TRANSPORTS names, each made once per logger.

import type Transport from 'winston-transport';
import type { LogsConfig, LogTransportName } from '../config';
import { fluentdOptions } from './fluentd';
import type { TransportSpec } from './in-flight';
import { ShippingTransport } from './shipping-transport';
import { syslogOptions } from './syslog';

/** A shipping transport to where `spec` says: the logger's own, or the export thread's at exit. */
export function shippingTransport(spec: TransportSpec, queueSize: number): ShippingTransport {
  const options = spec.kind === 'syslog' ? syslogOptions : fluentdOptions;
  return new ShippingTransport(options(spec, queueSize));
}

export function createTransports(logs: LogsConfig, serviceName: string): Transport[] {
  const factories: Record<LogTransportName, () => Transport> = {
    // JSON lines on stdout, as twelve-factor apps and container runtimes expect.
    console: () => {
      const { transports } = require('winston') as typeof import('winston');
      return new transports.Console();
    },
    syslog: () =>
      shippingTransport(
        { kind: 'syslog', url: logs.syslogUrl.href, name: serviceName },
        logs.queueSize,
      ),
    fluentd: () =>
      shippingTransport(
        { kind: 'fluentd', url: logs.fluentdUrl.href, name: logs.fluentdTag },
        logs.queueSize,
      ),
  };
  return logs.transports.map((name) => factories[name]());
}
