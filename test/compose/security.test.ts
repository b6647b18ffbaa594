// Secure by default and ordered by health: every published port on 127.0.0.1; every service that
// runs has a healthcheck and waits for what it needs; Elasticsearch, Kibana and Grafana want a
// password, every password and key comes from compose/.env (the file holds none), the setup
// checks every one of them first, and each user the setup creates is the one its client logs in
// with.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  type ComposeService,
  composeFile,
  composeProject,
  repoPath,
  repoRoot,
  requiredVariables,
} from './model';

// Every required variable set to a value that names it: whatever comes from .env is traceable.
const scratch = mkdtempSync(join(tmpdir(), 'obskit-compose-secrets-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const sentinel = (name: string) => `from-env-${name}`;
const sentinelFile = join(scratch, 'sentinels.env');
writeFileSync(
  sentinelFile,
  requiredVariables()
    .map((n) => `${n}=${sentinel(n)}\n`)
    .join(''),
);
const project = composeProject(sentinelFile);
const services = Object.entries(project.services);
const env = (name: string) => project.services[name]?.environment ?? {};
const isOneShot = (s: ComposeService) => s.restart === 'no';

test('every published port binds 127.0.0.1', () => {
  const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, ...p })));
  assert.ok(published.length >= 4);
  for (const p of published) assert.equal(p.host_ip, '127.0.0.1', `${p.name} ${p.target}`);
});

test('every service that keeps running has a healthcheck', () => {
  for (const [name, s] of services) {
    if (isOneShot(s)) continue;
    assert.ok(s.healthcheck?.test?.length && !s.healthcheck.disable, `${name} has a healthcheck`);
  }
});

test('every dependency waits for health, or for a one-shot to succeed', () => {
  let dependencies = 0;
  for (const [name, s] of services) {
    for (const [on, { condition }] of Object.entries(s.depends_on ?? {})) {
      dependencies++;
      const target = project.services[on] as ComposeService;
      if (condition === 'service_healthy')
        assert.ok(
          target.healthcheck?.test?.length,
          `${name} waits for ${on}, which has a healthcheck`,
        );
      else if (condition === 'service_completed_successfully')
        assert.ok(isOneShot(target), `${name} waits for ${on} to complete: a one-shot`);
      else assert.fail(`${name} depends on ${on} with ${condition}`);
    }
  }
  assert.ok(dependencies >= 15);
});

test('the one-shots: each setup once its backend is healthy, the Kibana import once Kibana is', () => {
  assert.deepEqual(
    services.filter(([, s]) => isOneShot(s)).map(([name, s]) => [name, s.depends_on]),
    [
      ['elasticsearch-setup', { elasticsearch: { condition: 'service_healthy', required: true } }],
      ['etcd-setup', { etcd: { condition: 'service_healthy', required: true } }],
      ['kibana-import', { kibana: { condition: 'service_healthy', required: true } }],
    ],
  );
});

test('Elasticsearch runs with security on and the password of compose/.env', () => {
  const es = env('elasticsearch');
  // The same setting as collectors/elasticsearch/elasticsearch.yml's, which the environment
  // overrides in Elasticsearch's image (settings from the environment win over the file).
  const yml = readFileSync(repoPath('collectors/elasticsearch/elasticsearch.yml'), 'utf8');
  assert.match(yml, /^xpack\.security\.enabled: false$/m);
  assert.equal(es['xpack.security.enabled'], 'true');
  assert.equal(es.ELASTIC_PASSWORD, sentinel('ELASTIC_PASSWORD'));
});

test('Kibana logs in to Elasticsearch as kibana_system, whose password the setup sets', () => {
  const kibana = env('kibana');
  assert.equal(kibana.ELASTICSEARCH_USERNAME, 'kibana_system');
  assert.equal(kibana.ELASTICSEARCH_PASSWORD, sentinel('KIBANA_SYSTEM_PASSWORD'));
  assert.equal(env('elasticsearch-setup').KIBANA_SYSTEM_PASSWORD, kibana.ELASTICSEARCH_PASSWORD);
  // Kibana's own logins are Elasticsearch users: no anonymous provider is configured.
  assert.ok(!Object.keys(kibana).some((key) => /AUTHC|ANONYMOUS/.test(key)));
  assert.equal(env('kibana-import').OBSKIT_KIBANA_PASSWORD, sentinel('ELASTIC_PASSWORD'));
});

test("Kibana's three encryption keys come from compose/.env, as the image maps them", () => {
  // kibana-docker turns XPACK_SECURITY_ENCRYPTIONKEY into --xpack.security.encryptionKey, …
  const keys = {
    XPACK_SECURITY_ENCRYPTIONKEY: 'KIBANA_SECURITY_ENCRYPTION_KEY',
    XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY: 'KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY',
    XPACK_REPORTING_ENCRYPTIONKEY: 'KIBANA_REPORTING_ENCRYPTION_KEY',
  };
  for (const [setting, variable] of Object.entries(keys)) {
    assert.ok(requiredVariables().includes(variable), `${variable} is required`);
    assert.equal(env('kibana')[setting], sentinel(variable));
    assert.equal(env('elasticsearch-setup')[variable], sentinel(variable), 'the setup checks it');
  }
});

test('the setup checks every secret compose requires, each as compose passes it', async () => {
  const secrets = await import(pathToFileURL(repoPath('compose/obskit/secrets.js')).href);
  const { secretNames } = secrets.default as { secretNames: string[] };
  assert.deepEqual([...secretNames].sort(), requiredVariables().sort());
  for (const name of secretNames)
    assert.equal(env('elasticsearch-setup')[name], sentinel(name), `the setup gets ${name}`);
});

test("Grafana wants its admin's password and lets no anonymous user in", () => {
  const grafana = env('grafana');
  assert.equal(grafana.GF_SECURITY_ADMIN_PASSWORD, sentinel('GRAFANA_ADMIN_PASSWORD'));
  assert.equal(grafana.GF_AUTH_ANONYMOUS_ENABLED, 'false');
  assert.equal(grafana.GF_USERS_ALLOW_SIGN_UP, 'false');
});

test('Fluentd and Grafana log in to Elasticsearch as the users the setup creates', () => {
  const setup = env('elasticsearch-setup');
  const datasources = readFileSync(
    repoPath('dashboards/grafana/provisioning/datasources/obskit.yaml'),
    'utf8',
  );
  const fluentConf = readFileSync(repoPath('collectors/fluentd/fluent.conf'), 'utf8');
  const clients = [
    { service: 'grafana', prefix: 'GRAFANA', reads: [...datasources.matchAll(/\$\{(\w+)\}/g)] },
    { service: 'fluentd', prefix: 'FLUENTD', reads: [...fluentConf.matchAll(/ENV\['(\w+)'\]/g)] },
  ];
  for (const client of clients) {
    const own = env(client.service);
    const user = `${client.prefix}_ELASTICSEARCH_USER`;
    const password = `${client.prefix}_ELASTICSEARCH_PASSWORD`;
    const credentials = client.reads
      .map((m) => m[1] as string)
      .filter((n) => /_(USER|PASSWORD)$/.test(n));
    assert.deepEqual(credentials.sort(), [password, user]);
    assert.equal(own[user], setup[user], `${client.service}'s user is the one the setup creates`);
    assert.equal(own[password], sentinel(password));
    assert.equal(setup[password], own[password]);
  }
});

test('no literal secret: every password-like value comes from compose/.env', () => {
  const secretName = /(PASSWORD|SECRET|TOKEN|API_?KEY|ENCRYPTION_?KEY)$/i;
  const fromEnv = new Set(requiredVariables().map(sentinel));
  let secrets = 0;
  for (const [name, s] of services) {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (!secretName.test(key)) continue;
      secrets++;
      assert.ok(fromEnv.has(value ?? ''), `${name}.${key} is not a variable of compose/.env`);
    }
  }
  assert.ok(secrets >= 19);
  // Nor does an example value, or credentials in a URL, appear in what compose reads.
  const files = [
    composeFile,
    repoPath('collectors/traefik/traefik.yml'),
    repoPath('collectors/traefik/dynamic.yml'),
    repoPath('compose/obskit/Dockerfile'),
    repoPath('compose/fluentd/Dockerfile'),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /change-?me/i, `${file} holds an example secret`);
    assert.doesNotMatch(text, /\/\/[^/\s:@]+:[^/\s@]+@/, `${file} has credentials in a URL`);
  }
});

test('compose/.env is ignored by git', () => {
  const ignored = spawnSync('git', ['check-ignore', '-q', 'compose/.env'], { cwd: repoRoot });
  assert.equal(ignored.status, 0);
});
