// Redis from Debian: the demo's cache, kept in memory only.

import { tcpOk } from '../health';
import { portOf } from '../ports';
import type { BackendSpec } from '../types';

export const redis: BackendSpec = {
  name: 'redis',
  host: 'redis',
  version: '7.0',
  source: { kind: 'debian', packages: [{ name: 'redis-server', versionPrefix: '5:7.0.' }] },
  ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }],
  probe: (backend) => ({
    url: `redis://127.0.0.1:${portOf(backend)}`,
    healthy: () => tcpOk(portOf(backend), 'PING\r\n', '+PONG'),
  }),
  launch: ({ backend, data }) => ({
    command: 'redis-server',
    args: [
      ...['--bind', '127.0.0.1', '--port', String(portOf(backend)), '--dir', data],
      ...['--save', '', '--appendonly', 'no'],
    ],
    writableDirs: [],
  }),
};
