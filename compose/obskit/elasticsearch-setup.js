// compose's one-shot Elasticsearch setup, run at every `docker compose up` once Elasticsearch is
// healthy. First every secret of compose/.env is checked (secrets.js): an example value stops
// it, and with it every service that waits for it. Then the password of the built-in
// kibana_system user and the least-privilege users of Fluentd (writes obskit-logs-*), Grafana
// (reads them) and Jaeger (its templates and obskit-jaeger-*), as docker-elk's setup service
// does; then what `obskit stack up` applies locally, with the same code: the ECS index template
// of collectors/elasticsearch (mounted) and the retention of the daily log and trace indices.
// ELASTICSEARCH_URL names one node, or every node of a cluster comma-separated (compose/cluster.yml):
// the client then goes on to the next node, and the template gets one replica, as locally.
// Each step is a PUT, a password change or a delete of what expired, so running it again
// changes nothing.
const { Client } = require('@elastic/elasticsearch');
const { readFileSync } = require('node:fs');
const {
  dailyLogIndices,
  logsIndexPattern,
  logsTemplateName,
  logsTemplatePath,
  traceIndices,
} = require('../../dist/common/index-names');
const { packageRoot } = require('../../dist/common/package-root');
const { replicasFor } = require('../../dist/stack/elasticsearch-client');
const { pruneLogIndices, retentionDays } = require('../../dist/stack/log-retention');
const { checkSecrets } = require('./secrets');

const roles = {
  obskit_logs_writer: {
    cluster: ['monitor'],
    indices: [{ names: [logsIndexPattern], privileges: ['create_index', 'index'] }],
  },
  obskit_logs_reader: {
    cluster: ['monitor'],
    indices: [{ names: [logsIndexPattern], privileges: ['read', 'view_index_metadata'] }],
  },
  // Jaeger puts its index templates at start, writes its daily indices and queries them.
  obskit_traces: {
    cluster: ['monitor', 'manage_index_templates'],
    indices: [
      {
        names: [traceIndices.pattern],
        privileges: ['create_index', 'index', 'read', 'view_index_metadata'],
      },
    ],
  },
  // elasticsearch_exporter reads the cluster's health, and nothing of an index.
  obskit_monitor: { cluster: ['monitor'] },
};

/** The users of compose's services: the variables compose sets with their names and passwords. */
const users = [
  {
    user: 'FLUENTD_ELASTICSEARCH_USER',
    password: 'FLUENTD_ELASTICSEARCH_PASSWORD',
    role: 'obskit_logs_writer',
  },
  {
    user: 'GRAFANA_ELASTICSEARCH_USER',
    password: 'GRAFANA_ELASTICSEARCH_PASSWORD',
    role: 'obskit_logs_reader',
  },
  {
    user: 'JAEGER_ELASTICSEARCH_USER',
    password: 'JAEGER_ELASTICSEARCH_PASSWORD',
    role: 'obskit_traces',
  },
  {
    user: 'MONITOR_ELASTICSEARCH_USER',
    password: 'MONITOR_ELASTICSEARCH_PASSWORD',
    role: 'obskit_monitor',
  },
];

/** Every variable, checked before the first request: a missing or example one is named. */
function settingsFrom(env) {
  checkSecrets(env);
  const required = (name) => {
    if (!env[name]) throw new Error(`${name} is not set`);
    return env[name];
  };
  return {
    nodes: required('ELASTICSEARCH_URL').split(','),
    elasticPassword: required('ELASTIC_PASSWORD'),
    kibanaSystemPassword: required('KIBANA_SYSTEM_PASSWORD'),
    users: users.map(({ user, password, role }) => ({
      username: required(user),
      password: required(password),
      role,
    })),
    keepDays: retentionDays(env),
  };
}

async function step(what, action) {
  try {
    await action();
    process.stdout.write(`✓ ${what}\n`);
  } catch (error) {
    throw new Error(`${what}: ${error.message.split('\n')[0]}`);
  }
}

/** Deletes the daily indices of `family` past the retention, printing what went. */
async function prune(client, what, family, keepDays) {
  let deleted = [];
  await step(`${what}: ${keepDays} days`, async () => {
    deleted = await pruneLogIndices(client, keepDays, family);
  });
  if (deleted.length > 0) process.stdout.write(`  deleted ${deleted.join(', ')}\n`);
}

/** The template with one replica of each shard where there is a second node to hold it. */
function withReplicas(template, nodes) {
  template.template.settings.number_of_replicas = replicasFor(nodes);
  return template;
}

async function setup(settings) {
  const client = new Client({
    nodes: settings.nodes,
    auth: { username: 'elastic', password: settings.elasticPassword },
    requestTimeout: 30_000,
  });
  try {
    await step('kibana_system password', () =>
      client.security.changePassword({
        username: 'kibana_system',
        password: settings.kibanaSystemPassword,
      }),
    );
    for (const [name, role] of Object.entries(roles)) {
      await step(`role ${name}`, () => client.security.putRole({ name, ...role }));
    }
    for (const { username, password, role } of settings.users) {
      await step(`user ${username} (${role})`, () =>
        client.security.putUser({ username, password, roles: [role] }),
      );
    }
    const templateFile = logsTemplatePath(packageRoot());
    await step(`index template ${logsTemplateName} from ${templateFile}`, () =>
      client.indices.putIndexTemplate({
        name: logsTemplateName,
        ...withReplicas(JSON.parse(readFileSync(templateFile, 'utf8')), settings.nodes.length),
      }),
    );
    // Jaeger's daily indices go with the logs' (storage-elasticsearch.yaml), as locally.
    await prune(client, 'retention', dailyLogIndices, settings.keepDays);
    await prune(client, 'trace retention', traceIndices, settings.keepDays);
  } finally {
    await client.close();
  }
}

Promise.resolve()
  .then(() => setup(settingsFrom(process.env)))
  .catch((error) => {
    process.stderr.write(`elasticsearch-setup: ${error.message}\n`);
    process.exit(1);
  });
