// Jaeger v2 (cmd/jaeger), built from its Go module, on collectors/jaeger/config.yaml and the
// trace store chosen by OBSKIT_JAEGER_STORAGE: Elasticsearch (the default) or memory.

import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import type { Backend, StackConfig } from '../config';
import { httpOk, tcpOk } from '../health';
import { renderCollector } from '../launch';
import { type DailyIndices, pruneLogIndices } from '../log-retention';
import type { BackendSpec } from '../manifest';
import { binDir, portNamed } from '../resolved';
import { elasticsearch, elasticsearchClient, elasticsearchOf } from './elasticsearch';

const binary = 'jaeger';
const version = '2.13.0';
/** Where Jaeger keeps traces, the default first: each has its collectors/jaeger/storage-<name>.yaml. */
const storages = () => [elasticsearch.name, 'memory'];

/** Jaeger's daily indices in Elasticsearch (index_prefix and date_layout of its storage file). */
export const traceIndices: DailyIndices = {
  pattern: 'obskit-jaeger-*',
  name: /^obskit-jaeger-[a-z]+-(\d{4})\.(\d{2})\.(\d{2})$/,
};

/** OBSKIT_JAEGER_STORAGE, checked: a bad value stops the command with one clear line. */
export function jaegerStorage(env: NodeJS.ProcessEnv): string {
  const raw = env.OBSKIT_JAEGER_STORAGE || (storages()[0] as string);
  if (!storages().includes(raw))
    throw obskitError('OBSKIT_E_BAD_ENV', 'OBSKIT_JAEGER_STORAGE', raw, storages().join(' or '));
  return raw;
}

/** Deletes Jaeger's daily indices past the logs' retention, when it stores in Elasticsearch. */
async function pruneTraceIndices(
  config: StackConfig,
  backend: Backend,
  log: (line: string) => void,
) {
  if (backend.resolvedSettings.storage !== elasticsearch.name) return;
  const client = elasticsearchClient(elasticsearchOf(config));
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
  probe: (backend) => {
    const url = `http://127.0.0.1:${portNamed(backend, 'query')}`;
    return {
      url,
      healthy: async () =>
        (await httpOk(`${url}/api/services`)) && (await tcpOk(portNamed(backend, 'otlp-http'))),
    };
  },
  settings: (env) => ({ storage: jaegerStorage(env) }),
  // Its Elasticsearch store needs Elasticsearch up first (a getter: backends import each other).
  get startsAfter() {
    return [elasticsearch.name];
  },
  launch: (context) => {
    const conf = renderCollector(context, 'jaeger');
    const storage = join(conf, `storage-${context.backend.resolvedSettings.storage}.yaml`);
    return {
      command: join(binDir(context.config), binary),
      args: ['--config', join(conf, 'config.yaml'), '--config', storage],
      writableDirs: [],
    };
  },
  ready: pruneTraceIndices,
};
