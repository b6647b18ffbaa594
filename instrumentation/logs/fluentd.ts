// Fluentd shipping through fluent-logger: each line's ECS document as one record of the forward
// protocol, in packed batches that the receiver acknowledges, so a lost batch is sent again.

import { MESSAGE } from 'triple-beam';
import type { LogInfo } from './ecs-format';
import type { TransportSpec } from './in-flight';
import type { Link, LinkEvents, ShippingOptions } from './shipping-transport';

/** How long a batch may wait for the receiver's acknowledgement before it is sent again. */
const ackTimeoutMs = 5000;

const silent = { log() {}, info() {}, error() {} };

/** The part of fluent-logger's FluentSender obskit uses (its bundled types lack some). */
interface FluentSender {
  emit(record: object, time: unknown, callback: (error?: Error) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  end(label: undefined, data: undefined, callback: () => void): void;
  _socket?: import('node:net').Socket;
}

interface FluentLogger {
  createFluentSender(tag: string, options: object): FluentSender;
  EventTime: { fromTimestamp(ms: number): unknown };
}

function fluentLink(url: URL, tag: string, events: LinkEvents): Link {
  const { createFluentSender, EventTime } = require('fluent-logger') as FluentLogger;
  const sender = createFluentSender(tag, {
    host: url.hostname,
    port: Number(url.port),
    tls: url.protocol === 'tls:',
    tlsOptions: { servername: url.hostname },
    eventMode: 'PackedForward',
    flushInterval: 5,
    requireAckResponse: true,
    ackResponseTimeout: ackTimeoutMs,
    // obskit reconnects and warns itself.
    enableReconnect: false,
    internalLogger: silent,
  });
  sender.on('error', (error: Error) => events.down(error));
  // fluent-logger connects on the first record; a refused connection comes back as 'error'.
  setImmediate(events.up);
  return {
    send: (lines, done) => {
      let waiting = lines.length;
      let failed = false;
      const acknowledged = (error?: Error) => {
        if (failed) return;
        if (error) {
          failed = true;
          return done(error);
        }
        if (--waiting === 0) done();
      };
      for (const line of lines) {
        const record = JSON.parse(line) as Record<string, unknown>;
        const time = EventTime.fromTimestamp(Date.parse(String(record['@timestamp'])));
        sender.emit(record, time, acknowledged);
      }
    },
    // fluent-logger keeps its socket private; an idle one must not hold the app open.
    setKeepsProcessAlive: (keep) => {
      if (keep) sender._socket?.ref();
      else sender._socket?.unref();
    },
    close: () => sender.end(undefined, undefined, () => {}),
  };
}

/** Fluentd's forward input at `spec.url`, every record tagged `spec.name`. */
export function fluentdOptions(spec: TransportSpec, queueSize: number): ShippingOptions {
  const url = new URL(spec.url);
  return {
    spec,
    queueSize,
    open: (events) => fluentLink(url, spec.name, events),
    lineOf: (info: LogInfo) => String(info[MESSAGE]),
    resendWindowMs: 0,
  };
}
