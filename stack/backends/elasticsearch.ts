// Elasticsearch's minimal distribution from Maven Central with obskit's plugin for `/`, run on
// the installed JDK as a non-root user. Once healthy, at every `stack up`: the ECS index template of
// collectors/elasticsearch (a PUT, so reapplying changes nothing) and the logs' retention.

import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLineOf, obskitError } from '../../common/errors';
import { logsTemplateName, logsTemplatePath } from '../../common/index-names';
import { elasticsearchClient } from '../elasticsearch-client';
import { pruneLogIndices } from '../log-retention';
import { portOf } from '../ports';
import { httpProbe } from '../probes';
import { renderCollector } from '../render';
import type { Backend, BackendSpec, LaunchContext, LaunchPlan, StackConfig } from '../types';

const name = 'elasticsearch';

/** The unprivileged user that runs Elasticsearch when obskit runs as root. */
export const elasticsearchUser = 'obskit-es';

/** The template, then the retention; returns the indices retention deleted. */
export async function applyElasticsearchSetup(
  config: StackConfig,
  elasticsearch: Backend,
): Promise<string[]> {
  const keepDays = config.retentionDays;
  const templateFile = logsTemplatePath(config.packageRoot);
  const client = elasticsearchClient(portOf(elasticsearch));
  try {
    const template = JSON.parse(readFileSync(templateFile, 'utf8'));
    await client.indices.putIndexTemplate({ name: logsTemplateName, ...template });
    return await pruneLogIndices(client, keepDays);
  } catch (error) {
    const reason = firstLineOf(error);
    throw obskitError('OBSKIT_E_ES_SETUP', templateFile, reason ?? '');
  } finally {
    await client.close();
  }
}

function launch(context: LaunchContext): LaunchPlan {
  const { config, backend, dir, data } = context;
  const home = join(config.home, (backend.source as { unpackedDir: string }).unpackedDir);
  const conf = join(dir, 'config');
  // ES_PATH_CONF needs the distribution's jvm.options and log4j2 settings beside ours.
  if (!existsSync(join(conf, 'jvm.options')))
    cpSync(join(home, 'config'), conf, { recursive: true });
  renderCollector(context, name);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const setting = (key: string, value: string | number) => ['-E', `${key}=${value}`];
  return {
    command: join(home, 'bin', name),
    args: [
      ...setting('path.data', data),
      ...setting('path.logs', logs),
      ...setting('http.port', portOf(backend)),
      ...setting('transport.port', portOf(backend, 'transport')),
    ],
    env: {
      ...process.env,
      ES_PATH_CONF: conf,
      ES_JAVA_HOME: context.javaHome,
      ES_JAVA_OPTS: backend.resolvedSettings.javaOpts,
    },
    user: process.getuid?.() === 0 ? elasticsearchUser : undefined,
    writableDirs: [dir],
  };
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
  settings: (env) => ({ javaOpts: env.OBSKIT_ES_JAVA_OPTS || '-Xms512m -Xmx512m' }),
  probe: (backend) =>
    httpProbe(backend, '/_cluster/health', (body) => /"status":"(green|yellow)"/.test(body)),
  launch,
  ready: async (config, backend, log) => {
    const pruned = await applyElasticsearchSetup(config, backend);
    log(`applied the ${logsTemplateName} index template to ${name}`);
    if (pruned.length > 0) log(`deleted log indices past retention: ${pruned.join(', ')}`);
  },
};
