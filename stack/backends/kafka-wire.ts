// The one Kafka request the stack sends itself: ApiVersions, which a broker answers once it
// serves requests, as the readiness probe (an open port alone says less: the socket server
// listens before the broker has joined its controller).

import { connect } from 'node:net';

const apiVersionsKey = 18;
const correlationId = 0x0b5c;
const clientId = Buffer.from('obskit-probe');

/** ApiVersions v0: size, then api key, version, correlation id and client id. */
function apiVersionsRequest(): Buffer {
  const body = Buffer.alloc(10 + clientId.length);
  body.writeInt16BE(apiVersionsKey, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Whether the broker on `port` answers ApiVersions with our correlation id and no error. */
export function answersApiVersions(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(apiVersionsRequest()));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      // size (4), correlation id (4), error code (2)
      if (received.length < 10) return;
      done(received.readInt32BE(4) === correlationId && received.readInt16BE(8) === 0);
    });
  });
}
