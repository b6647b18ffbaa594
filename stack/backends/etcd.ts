// etcd from Debian (etcd-server 3.4): the demo's service registry and Traefik's etcd provider,
// one member on loopback, or three (etcd-1..3, static bootstrap) in the cluster topology, data
// under each member's run directory. It takes its settings as flags, as compose passes them,
// so collectors/ holds no file of its own.

import { httpOk } from '../health';
import { portOf } from '../ports';
import type { Backend, BackendSpec, Member, Port } from '../types';

const url = (port: number) => `http://127.0.0.1:${port}`;

/** Members 2 and 3 on the ports of etcd's own three-member Procfile: 22379/22380, 32379/32380. */
const memberPorts = (index: number): Port[] => [
  { name: 'client', port: 2379 + index * 10_000 + 10_000, protocol: 'tcp' },
  { name: 'peer', port: 2380 + index * 10_000 + 10_000, protocol: 'tcp' },
];

/** The member's name inside the cluster: `obskit` alone, as before, or etcd-1..3. */
const memberName = (backend: Backend, member: Member) =>
  backend.members.length > 1 ? member.name : 'obskit';

/** `--initial-cluster`: every member's name and peer URL. */
export const initialCluster = (backend: Backend): string =>
  backend.members.map((m) => `${memberName(backend, m)}=${url(portOf(m, 'peer'))}`).join(',');

/** The flags one member runs with. */
export function memberArgs(backend: Backend, member: Member, data: string): string[] {
  const client = url(portOf(member, 'client'));
  const peer = url(portOf(member, 'peer'));
  return [
    ...['--name', memberName(backend, member), '--data-dir', data],
    ...['--listen-client-urls', client, '--advertise-client-urls', client],
    ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
    ...['--initial-cluster', initialCluster(backend), '--initial-cluster-state', 'new'],
    ...(backend.members.length > 1 ? ['--initial-cluster-token', 'obskit-etcd'] : []),
    ...['--logger', 'zap', '--log-outputs', 'stderr'],
  ];
}

interface MaintenanceStatus {
  header?: { member_id?: string };
  leader?: string;
}

/** leader or follower, from the member's own /v3/maintenance/status; `no leader` meanwhile. */
export async function etcdRole(member: Member): Promise<string | undefined> {
  try {
    const response = await fetch(`${url(portOf(member, 'client'))}/v3/maintenance/status`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return undefined;
    const status = (await response.json()) as MaintenanceStatus;
    if (!status.leader || status.leader === '0') return 'no leader';
    return status.leader === status.header?.member_id ? 'leader' : 'follower';
  } catch {
    return undefined;
  }
}

export const etcd: BackendSpec = {
  name: 'etcd',
  host: 'etcd',
  version: '3.4.23',
  source: { kind: 'debian', packages: [{ name: 'etcd-server', versionPrefix: '3.4.23' }] },
  ports: [
    { name: 'client', port: 2379, protocol: 'tcp' },
    { name: 'peer', port: 2380, protocol: 'tcp' },
  ],
  cluster: { members: 3, ports: memberPorts },
  // /health answers {"health":"true"} only once the member has a leader; /metrics is on the same port.
  probe: (_backend, member) => {
    const client = url(portOf(member, 'client'));
    const healthy = (body: string) => (JSON.parse(body) as { health?: string }).health === 'true';
    return { url: client, healthy: () => httpOk(`${client}/health`, healthy) };
  },
  role: etcdRole,
  launch: ({ backend, member, data }) => ({
    command: 'etcd',
    args: memberArgs(backend, member, data),
    writableDirs: [],
  }),
};
