// Jaeger v2 (cmd/jaeger), built from its Go module, on collectors/jaeger/config.yaml and the
// trace store chosen by OBSKIT_JAEGER_STORAGE: Elasticsearch (the default) or memory. In the
// cluster topology it runs as two members: jaeger-1, the collector and query API, exports to
// Kafka (kafka.yaml), and jaeger-2, the ingester (ingester.yaml), writes Kafka's spans into
// Elasticsearch.

import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { traceIndices } from '../../common/index-names';
import { elasticsearchClient, replicasFor } from '../elasticsearch-client';
import { httpOk, tcpOk } from '../health';
import { pruneLogIndices } from '../log-retention';
import { memberPortsOf, portOf } from '../ports';
import { httpProbe } from '../probes';
import { renderCollector } from '../render';
import type {
  Backend,
  BackendSpec,
  LaunchContext,
  LaunchPlan,
  Member,
  Port,
  StackConfig,
} from '../types';

const binary = 'jaeger';
const version = '2.13.0';
/** Where Jaeger keeps traces, the default first: each has its collectors/jaeger/storage-<name>.yaml. */
const storages = ['elasticsearch', 'memory'] as const;
const isStorage = (name: string): name is (typeof storages)[number] =>
  (storages as readonly string[]).includes(name);

/** OBSKIT_JAEGER_STORAGE, checked: a bad value stops the command with one clear line. */
export function jaegerStorage(env: NodeJS.ProcessEnv): string {
  const raw = env.OBSKIT_JAEGER_STORAGE || storages[0];
  if (!isStorage(raw))
    throw obskitError('OBSKIT_E_BAD_ENV', 'OBSKIT_JAEGER_STORAGE', raw, storages.join(' or '));
  // The cluster's ingester and query API are two processes: a memory store would be two stores.
  if (env.OBSKIT_TOPOLOGY === 'cluster' && raw !== 'elasticsearch')
    throw obskitError(
      'OBSKIT_E_BAD_ENV',
      'OBSKIT_JAEGER_STORAGE',
      raw,
      'elasticsearch in the cluster topology',
    );
  return raw;
}

/** The ingester (jaeger-2) serves only its health check and its metrics. */
const ingesterPorts = (): Port[] => [
  { name: 'health', port: 13134, protocol: 'tcp' },
  { name: 'metrics', port: 8889, protocol: 'tcp' },
];

const isIngester = (member: Member) => member.name.endsWith('-2');

/** collector (with the query API) or ingester, by member. */
export const jaegerRole = async (member: Member): Promise<string> =>
  isIngester(member) ? 'ingester' : 'collector';

/** The config files a member runs on, from the rendered collectors/jaeger. */
export function jaegerConfigs(conf: string, backend: Backend, member: Member): string[] {
  const storage = join(conf, `storage-${backend.resolvedSettings.storage}.yaml`);
  if (backend.members.length < 2) return [join(conf, 'config.yaml'), storage];
  if (isIngester(member)) return [join(conf, 'ingester.yaml'), storage];
  return [join(conf, 'config.yaml'), storage, join(conf, 'kafka.yaml')];
}

function launch(context: LaunchContext): LaunchPlan {
  const { backend, member } = context;
  const conf = renderCollector(context, 'jaeger');
  // Its indices get a replica where Elasticsearch runs as a cluster (storage-elasticsearch.yaml).
  const nodes = memberPortsOf(context.config, 'elasticsearch').length;
  const ingester = isIngester(member)
    ? { JAEGER_HEALTH_PORT: String(portOf(member, 'health')) }
    : {};
  return {
    command: join(context.bin, binary),
    args: jaegerConfigs(conf, backend, member).flatMap((file) => ['--config', file]),
    env: {
      ...process.env,
      JAEGER_ELASTICSEARCH_REPLICAS: String(replicasFor(nodes)),
      // config.yaml's own metrics port: no host:port string there for localize to move.
      JAEGER_METRICS_PORT: String(portOf(member, 'metrics')),
      ...ingester,
    },
    writableDirs: [],
  };
}

/** Deletes Jaeger's daily indices past the logs' retention, when it stores in Elasticsearch. */
async function pruneTraceIndices(
  config: StackConfig,
  backend: Backend,
  log: (line: string) => void,
) {
  if (backend.resolvedSettings.storage !== 'elasticsearch') return;
  const client = elasticsearchClient(memberPortsOf(config, 'elasticsearch'));
  try {
    const pruned = await pruneLogIndices(client, config.retentionDays, traceIndices);
    if (pruned.length > 0) log(`deleted trace indices past retention: ${pruned.join(', ')}`);
  } finally {
    await client.close();
  }
}

export const jaeger: BackendSpec = {
  name: 'jaeger',
  host: 'jaeger',
  // v2.13.0's cmd/jaeger. Its module tag is v1.76.0 (v2 tags are not valid module versions) and
  // the module proxy serves tags only; building inside the module keeps its replace directives.
  version,
  source: {
    kind: 'go-module',
    module: 'github.com/jaegertracing/jaeger',
    version: 'v1.76.0',
    package: './cmd/jaeger',
    binary,
  },
  // Jaeger reports its version from a link-time variable that its Makefile normally sets.
  ldflags: `-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=v${version}`,
  ports: [
    { name: 'otlp-grpc', port: 4317, protocol: 'tcp' },
    { name: 'otlp-http', port: 4318, protocol: 'tcp' },
    { name: 'thrift-http', port: 14268, protocol: 'tcp' },
    { name: 'query', port: 16686, protocol: 'tcp' },
    { name: 'query-grpc', port: 16685, protocol: 'tcp' },
    { name: 'health', port: 13133, protocol: 'tcp' },
    { name: 'metrics', port: 8888, protocol: 'tcp' },
  ],
  cluster: { members: 2, ports: ingesterPorts },
  role: jaegerRole,
  probe: (backend, member) => {
    if (isIngester(member)) return httpProbe(member, '/status');
    const url = `http://127.0.0.1:${portOf(backend, 'query')}`;
    return {
      url,
      healthy: async () =>
        (await httpOk(`${url}/api/services`)) && (await tcpOk(portOf(backend, 'otlp-http'))),
    };
  },
  settings: (env) => ({ storage: jaegerStorage(env) }),
  // Its Elasticsearch store needs Elasticsearch up first; in a cluster, Kafka's topic too.
  startsAfter: ['elasticsearch', 'kafka'],
  launch,
  ready: pruneTraceIndices,
};
