// Syslog shipping: each line an RFC 5424 message whose MSG is the ECS JSON, over TCP or TLS
// with octet-counting framing (RFC 6587, RFC 5425) or one UDP datagram per line (RFC 5426).

import { createSocket } from 'node:dgram';
import { connect as netConnect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { MESSAGE } from 'triple-beam';
import { ECS_DOCUMENT, type LogInfo, lineWithin } from './ecs-format';
import type { TransportSpec } from './in-flight';
import type { Link, LinkEvents, ShippingOptions } from './shipping-transport';

/** RFC 5424 severities of winston's npm levels. */
const severities: Record<string, number> = {
  error: 3,
  warn: 4,
  info: 6,
  http: 6,
  verbose: 7,
  debug: 7,
  silly: 7,
};
const facilityLocal0 = 16;

const connectTimeoutMs = 5000;

/** The largest UDP payload over IPv4 (RFC 5426 section 3.2). */
const maxDatagramBytes = 65_507;

/** RFC 5424 header fields are printable US-ASCII without spaces, of bounded length. */
const headerField = (value: string, maxLength: number) =>
  value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength) || '-';

/** The RFC 5424 message of one record, up to its MSG. */
export function syslogHeader(level: string, appName: string, timestamp: string): string {
  const priority = facilityLocal0 * 8 + (severities[level] ?? 6);
  return `<${priority}>1 ${timestamp} ${host} ${headerField(appName, 48)} ${process.pid} - - `;
}

const host = headerField(hostname(), 255);

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export const octetCounted = (message: string) => `${Buffer.byteLength(message)} ${message}`;

function streamLink(url: URL, events: LinkEvents): Link {
  const options = { host: url.hostname, port: Number(url.port) };
  const socket: Socket =
    url.protocol === 'tls:'
      ? tlsConnect({ ...options, servername: url.hostname }, events.up)
      : netConnect(options, events.up);
  socket.setNoDelay(true);
  // A receiver that never answers must not hold a finished process for the OS's connect timeout.
  socket.setTimeout(connectTimeoutMs, () =>
    socket.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)),
  );
  socket.once(url.protocol === 'tls:' ? 'secureConnect' : 'connect', () => socket.setTimeout(0));
  let lastError: Error | undefined;
  socket.on('error', (error) => {
    lastError = error;
  });
  // The receiver closing its side means it will read nothing more: the link is down.
  socket.on('end', () => socket.destroy());
  socket.on('close', () => events.down(lastError ?? new Error('connection closed')));
  return {
    send: (lines, done) => {
      socket.write(lines.map(octetCounted).join(''), (error) => done(error ?? undefined));
    },
    setKeepsProcessAlive: (keep) => (keep ? socket.ref() : socket.unref()),
    allWritten: () => !socket.connecting && socket.writableLength === 0,
    close: () => socket.destroy(),
  };
}

function datagramLink(url: URL, events: LinkEvents): Link {
  const socket = createSocket(url.hostname.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  setImmediate(events.up);
  const sendOne = (line: string) =>
    new Promise<void>((resolve, reject) =>
      socket.send(line, Number(url.port), url.hostname, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  return {
    send: (lines, done) => {
      Promise.all(lines.map(sendOne)).then(
        () => done(),
        (error: Error) => done(error),
      );
    },
    setKeepsProcessAlive: (keep) => (keep ? socket.ref() : socket.unref()),
    close: () => socket.close(),
  };
}

/** Syslog to `spec.url`, with `spec.name` as every message's APP-NAME. */
export function syslogOptions(spec: TransportSpec, queueSize: number): ShippingOptions {
  const url = new URL(spec.url);
  const udp = url.protocol === 'udp:';
  return {
    spec,
    queueSize,
    open: (events) => (udp ? datagramLink(url, events) : streamLink(url, events)),
    lineOf: (info: LogInfo) => {
      const document = info[ECS_DOCUMENT] as Record<string, unknown>;
      const header = syslogHeader(info.level, spec.name, String(document['@timestamp']));
      const line = header + String(info[MESSAGE]);
      if (
        !udp ||
        line.length * 3 <= maxDatagramBytes ||
        Buffer.byteLength(line) <= maxDatagramBytes
      )
        return line;
      return header + lineWithin({ ...document }, maxDatagramBytes - Buffer.byteLength(header));
    },
    // Plain TCP acknowledges nothing; rsyslog indexes each line under an id made from its
    // content, so a line sent twice is stored once.
    resendWindowMs: udp ? 0 : 2000,
  };
}
