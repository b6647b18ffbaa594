// Elasticsearch's minimal distribution from Maven Central with obskit's plugin for `/`, run on
// the installed JDK as a non-root user: one node, or three (elasticsearch-1..3, each
// master-eligible and data) in the cluster topology. Once healthy, at every `stack up`: the ECS
// index template of collectors/elasticsearch (a PUT, so reapplying changes nothing) and the
// logs' retention.

import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLineOf, obskitError } from '../../common/errors';
import { logsTemplateName, logsTemplatePath } from '../../common/index-names';
import { elasticsearchClient, replicasFor } from '../elasticsearch-client';
import { pruneLogIndices } from '../log-retention';
import { portOf } from '../ports';
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

const name = 'elasticsearch';

/** The unprivileged user that runs Elasticsearch when obskit runs as root. */
export const elasticsearchUser = 'obskit-es';

/** Heap of the one node, and of each of the cluster's three (OBSKIT_ES_JAVA_OPTS wins). */
const singleHeap = '-Xms512m -Xmx512m';
const nodeHeap = '-Xms256m -Xmx256m';

/** Nodes 2 and 3 on the ports Elasticsearch itself takes next on one machine: 9201/9301, 9202/9302. */
const memberPorts = (index: number): Port[] => [
  { name: 'http', port: 9200 + index, protocol: 'tcp' },
  { name: 'transport', port: 9300 + index, protocol: 'tcp' },
];

const inCluster = (backend: Backend) => backend.members.length > 1;

/**
 * The settings one node runs with beyond collectors/elasticsearch/elasticsearch.yml: its ports,
 * and in the cluster topology its name and the discovery of the others on their transport ports
 * (the yml's `discovery.type: single-node` gives way to multi-node).
 */
export function nodeSettings(backend: Backend, member: Member): [string, string | number][] {
  const own: [string, string | number][] = [
    ['http.port', portOf(member)],
    ['transport.port', portOf(member, 'transport')],
  ];
  if (!inCluster(backend)) return own;
  const transports = backend.members.map((m) => `127.0.0.1:${portOf(m, 'transport')}`);
  return [
    ...own,
    ['node.name', member.name],
    ['discovery.type', 'multi-node'],
    ['discovery.seed_hosts', transports.join(',')],
    ['cluster.initial_master_nodes', backend.members.map((m) => m.name).join(',')],
  ];
}

/** The heap: OBSKIT_ES_JAVA_OPTS, else 512 MB for the one node, 256 MB for each of three. */
export const javaOptsOf = (backend: Backend): string =>
  backend.resolvedSettings.javaOpts || (inCluster(backend) ? nodeHeap : singleHeap);

/** The template (one replica of each shard on a cluster), then the retention; returns the indices retention deleted. */
export async function applyElasticsearchSetup(
  config: StackConfig,
  elasticsearch: Backend,
): Promise<string[]> {
  const keepDays = config.retentionDays;
  const templateFile = logsTemplatePath(config.packageRoot);
  const client = elasticsearchClient(elasticsearch.members.map((m) => portOf(m)));
  try {
    const template = logsTemplateFor(readFileSync(templateFile, 'utf8'), elasticsearch);
    await client.indices.putIndexTemplate({ name: logsTemplateName, ...template });
    return await pruneLogIndices(client, keepDays);
  } catch (error) {
    const reason = firstLineOf(error);
    throw obskitError('OBSKIT_E_ES_SETUP', templateFile, reason ?? '');
  } finally {
    await client.close();
  }
}

/** collectors/elasticsearch/logs-template.json (shared with compose) with this topology's replicas. */
export function logsTemplateFor(text: string, elasticsearch: Backend) {
  const template = JSON.parse(text) as { template: { settings: Record<string, unknown> } };
  template.template.settings.number_of_replicas = replicasFor(elasticsearch.members.length);
  return template;
}

function launch(context: LaunchContext): LaunchPlan {
  const { config, backend, member, dir, data } = context;
  const home = join(config.home, (backend.source as { unpackedDir: string }).unpackedDir);
  const conf = join(dir, 'config');
  // ES_PATH_CONF needs the distribution's jvm.options and log4j2 settings beside ours.
  if (!existsSync(join(conf, 'jvm.options')))
    cpSync(join(home, 'config'), conf, { recursive: true });
  renderCollector(context, name);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const settings: [string, string | number][] = [
    ['path.data', data],
    ['path.logs', logs],
    ...nodeSettings(backend, member),
  ];
  return {
    command: join(home, 'bin', name),
    args: settings.flatMap(([key, value]) => ['-E', `${key}=${value}`]),
    env: {
      ...process.env,
      ES_PATH_CONF: conf,
      ES_JAVA_HOME: context.javaHome,
      ES_JAVA_OPTS: javaOptsOf(backend),
    },
    user: process.getuid?.() === 0 ? elasticsearchUser : undefined,
    writableDirs: [dir],
  };
}

/** GET `path` of the node itself, its JSON; undefined when it does not answer in 2 s. */
async function nodeJson<T>(member: Member, path: string): Promise<{ status: number; body?: T }> {
  const response = await fetch(`http://127.0.0.1:${portOf(member)}${path}`, {
    signal: AbortSignal.timeout(2000),
  });
  return {
    status: response.status,
    body: response.ok ? ((await response.json()) as T) : undefined,
  };
}

/** master for the elected master, data for the others, from the node's own view (_cat/master). */
export async function elasticsearchRole(member: Member): Promise<string | undefined> {
  try {
    const { status, body } = await nodeJson<{ node?: string }[]>(
      member,
      '/_cat/master?format=json&local=true',
    );
    if (status === 503) return 'no master';
    if (!body) return undefined;
    const master = body[0];
    if (!master?.node || master.node === '-') return 'no master';
    return master.node === member.name ? 'master' : 'data';
  } catch {
    return undefined;
  }
}

/** The cluster's health colour as the node itself sees it (red until it has a master). */
export async function elasticsearchHealth(member: Member): Promise<string | undefined> {
  try {
    const { body } = await nodeJson<{ status?: string }>(member, '/_cluster/health?local=true');
    return body?.status;
  } catch {
    return undefined;
  }
}

export const elasticsearch: BackendSpec = {
  name,
  host: 'elasticsearch',
  version: '8.19.9',
  source: {
    kind: 'maven-zip',
    artifact: 'org.elasticsearch.distribution.integ-test-zip:elasticsearch',
    version: '8.19.9',
    unpackedDir: 'elasticsearch-8.19.9',
    // It lacks the rest-root module (GET and HEAD /), which clients ping: ours answers there.
    plugins: ['stack/elasticsearch-root'],
  },
  ports: [
    { name: 'http', port: 9200, protocol: 'tcp' },
    { name: 'transport', port: 9300, protocol: 'tcp' },
  ],
  cluster: { members: 3, ports: memberPorts },
  settings: (env) => ({ javaOpts: env.OBSKIT_ES_JAVA_OPTS || '' }),
  // A node of a cluster answers from its own state (local): red, so not healthy, until it has
  // joined one with a master; the cluster's health asked of the master could wait 30 s.
  probe: (backend, member) =>
    httpProbe(member, `/_cluster/health${inCluster(backend) ? '?local=true' : ''}`, (body) =>
      /"status":"(green|yellow)"/.test(body),
    ),
  role: elasticsearchRole,
  clusterHealth: elasticsearchHealth,
  launch,
  ready: async (config, backend, log) => {
    const pruned = await applyElasticsearchSetup(config, backend);
    log(`applied the ${logsTemplateName} index template to ${name}`);
    if (pruned.length > 0) log(`deleted log indices past retention: ${pruned.join(', ')}`);
  },
};
