// etcd from Debian (etcd-server 3.4): the demo's service registry and Traefik's etcd provider,
// one member on loopback, its data under the run directory. It takes its settings as flags, as
// compose passes them, so collectors/ holds no file of its own.

import { httpOk } from '../health';
import { portOf } from '../ports';
import type { BackendSpec } from '../types';

const url = (port: number) => `http://127.0.0.1:${port}`;

export const etcd: BackendSpec = {
  name: 'etcd',
  host: 'etcd',
  version: '3.4.23',
  source: { kind: 'debian', packages: [{ name: 'etcd-server', versionPrefix: '3.4.23' }] },
  ports: [
    { name: 'client', port: 2379, protocol: 'tcp' },
    { name: 'peer', port: 2380, protocol: 'tcp' },
  ],
  // /health answers {"health":"true"} only once the member has a leader; /metrics is on the same port.
  probe: (backend) => {
    const client = url(portOf(backend, 'client'));
    const healthy = (body: string) => (JSON.parse(body) as { health?: string }).health === 'true';
    return { url: client, healthy: () => httpOk(`${client}/health`, healthy) };
  },
  launch: ({ backend, data }) => {
    const client = url(portOf(backend, 'client'));
    const peer = url(portOf(backend, 'peer'));
    return {
      command: 'etcd',
      args: [
        ...['--name', 'obskit', '--data-dir', data],
        ...['--listen-client-urls', client, '--advertise-client-urls', client],
        ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
        ...['--initial-cluster', `obskit=${peer}`, '--initial-cluster-state', 'new'],
        ...['--logger', 'zap', '--log-outputs', 'stderr'],
      ],
      writableDirs: [],
    };
  },
};
