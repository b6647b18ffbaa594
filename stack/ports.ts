// Whether a loopback TCP port is free, checked by binding it for a moment.

import { createServer } from 'node:net';
import { waitFor } from './health';

function bindsNow(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * Whether the port can be bound within a second. Ports such as 50051 lie in Linux's ephemeral
 * range (32768-60999), where any process's outgoing connection may hold one for a moment; a
 * listener holds it for good.
 */
export function portFree(port: number): Promise<boolean> {
  return waitFor(() => bindsNow(port), 1000, 250);
}
