// prometheus-community's elasticsearch_exporter (Apache-2.0), built from its Go module: the
// Elasticsearch cluster's health as Prometheus metrics (elasticsearch_cluster_health_status
// {color}, _number_of_nodes, _unassigned_shards). It runs in the cluster topology only, one
// exporter beside each node and asking that node, so the health stays scraped while any one
// node is down; Prometheus scrapes every exporter (job elasticsearch).

import { join } from 'node:path';
import { memberPortsOf, portOf } from '../ports';
import { httpProbe } from '../probes';
import type { BackendSpec, LaunchContext, LaunchPlan, Port } from '../types';

const binary = 'elasticsearch_exporter';
const version = '1.10.0';

/** Exporters 2 and 3 on the ports after its registered default 9114: 9115, 9116. */
const memberPorts = (index: number): Port[] => [
  { name: 'http', port: 9114 + index, protocol: 'tcp' },
];

/** The flags of exporter n: its own port, and node n's HTTP address (the same index). */
export function exporterArgs(context: LaunchContext): string[] {
  const { config, backend, member } = context;
  const index = backend.members.indexOf(member);
  const nodes = memberPortsOf(config, 'elasticsearch', 'http');
  const node = nodes[index] ?? nodes[0];
  return [
    `--web.listen-address=127.0.0.1:${portOf(member)}`,
    `--es.uri=http://127.0.0.1:${node}`,
    // Shorter than Prometheus' 10 s scrape: a node that hangs gives an error, not a late scrape.
    '--es.timeout=4s',
    '--log.output=stderr',
  ];
}

function launch(context: LaunchContext): LaunchPlan {
  return {
    command: join(context.bin, binary),
    args: exporterArgs(context),
    writableDirs: [],
  };
}

export const elasticsearchExporter: BackendSpec = {
  name: 'elasticsearch-exporter',
  host: 'elasticsearch-exporter',
  version,
  source: {
    kind: 'go-module',
    module: 'github.com/prometheus-community/elasticsearch_exporter',
    version: `v${version}`,
    package: '.',
    binary,
  },
  // Its version from a link-time variable, as its own Makefile (promu) sets it.
  ldflags: `-s -w -X github.com/prometheus/common/version.Version=${version}`,
  ports: [{ name: 'http', port: 9114, protocol: 'tcp' }],
  cluster: { members: 3, ports: memberPorts },
  topologies: ['cluster'],
  // /healthz answers whether or not its node does: healthy is the exporter itself up.
  probe: (_backend, member) => httpProbe(member, '/healthz'),
  launch,
};
