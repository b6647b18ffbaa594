// Every address a config or a service is given inside compose names a compose service (or a
// Traefik host name, for links opened in a browser) and a port that service exposes: Grafana's
// datasources, Kibana's trace.id link, Prometheus's targets, Alertmanager's webhook, Fluentd's
// output, and what the demo services are wired to.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { composeProject, hostNames, repoPath, service, whyNotServed } from './model';

const read = (path: string) => readFileSync(repoPath(path), 'utf8');
const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };

function assertServed(url: string, where: string) {
  const { hostname, port, protocol } = new URL(url);
  assert.equal(
    whyNotServed(hostname, Number(port) || (defaultPorts[protocol] ?? 0)),
    undefined,
    `${where}: ${url}`,
  );
}

/** The host names Traefik routes (Host(`…`) rules), which a browser reaches on Traefik's port. */
const traefikHosts = [...read('collectors/traefik/dynamic.yml').matchAll(/Host\(`([^`]+)`\)/g)].map(
  (m) => m[1] as string,
);

test("Grafana's datasource URLs point at compose services", () => {
  const { datasources } = parse(
    read('dashboards/grafana/provisioning/datasources/obskit.yaml'),
  ) as {
    datasources: { name: string; url: string }[];
  };
  assert.equal(datasources.length, 4);
  for (const d of datasources) assertServed(d.url, `datasource ${d.name}`);
});

test("Kibana's trace.id link opens the Jaeger UI through Traefik", (t) => {
  const file = 'dashboards/kibana/obskit.ndjson';
  if (!existsSync(repoPath(file)))
    return t.skip(`${file} does not exist yet (the Kibana saved objects are in progress)`);
  const urls = [...read(file).matchAll(/https?:\/\/[^"\s\\{]+/g)].map((m) => m[0]);
  assert.ok(urls.length > 0, 'the saved objects hold a link');
  for (const url of urls) {
    const { hostname } = new URL(url);
    assert.ok(
      traefikHosts.includes(hostname) || hostNames().has(hostname),
      `${url}: ${hostname} is neither a Traefik host nor a compose service`,
    );
  }
  assert.ok(
    urls.some((url) => new URL(url).hostname === 'jaeger.localhost'),
    urls.join(', '),
  );
});

test("Prometheus's static targets and alerting point at compose services", () => {
  const targets = [...read('collectors/prometheus/prometheus.yml').matchAll(/"([a-z-]+):(\d+)"/g)];
  assert.ok(targets.length >= 4);
  for (const [, host, port] of targets)
    assert.equal(
      whyNotServed(host as string, Number(port)),
      undefined,
      `prometheus.yml: ${host}:${port}`,
    );
});

test("compose's file-discovered targets are the demo's services on their metrics port", () => {
  const groups = JSON.parse(read('compose/prometheus/targets/demo.json')) as {
    targets: string[];
    labels: { service: string };
  }[];
  const listed = groups.flatMap((g) => g.targets.map((target) => [target, g.labels.service]));
  const underPreload = Object.entries(composeProject().services)
    .filter(([, s]) => s.environment?.OTEL_SERVICE_NAME)
    .map(([name, s]) => [
      `${name}:${s.environment?.OBSKIT_METRICS_PORT}`,
      s.environment?.OTEL_SERVICE_NAME,
    ]);
  assert.deepEqual(listed.sort(), underPreload.sort());
  for (const [target] of listed) assertServed(`http://${target}`, 'demo.json');
});

test("Alertmanager's webhook is the sidecar in Alertmanager's network namespace", () => {
  const alertmanager = parse(read('collectors/prometheus/alertmanager.yml')) as {
    receivers: { webhook_configs: { url: string }[] }[];
  };
  const url = new URL(alertmanager.receivers[0]?.webhook_configs[0]?.url as string);
  assert.equal(url.hostname, '127.0.0.1');
  const webhook = service('alert-webhook');
  assert.equal(webhook.network_mode, 'service:alertmanager');
  assert.deepEqual(webhook.healthcheck?.test?.slice(-1), [`tcp://127.0.0.1:${url.port}`]);
});

test("Fluentd's Elasticsearch output and the setup point at Elasticsearch", () => {
  const conf = read('collectors/fluentd/fluent.conf');
  const host = /^\s+host (\S+)$/m.exec(conf)?.[1];
  const port = /^\s+port (\d+)$/m.exec(conf.slice(conf.indexOf('@type elasticsearch')))?.[1];
  assertServed(`http://${host}:${port}`, 'fluent.conf');
  assertServed(service('elasticsearch-setup').environment?.ELASTICSEARCH_URL as string, 'setup');
  assertServed(service('kibana').environment?.ELASTICSEARCH_HOSTS as string, 'Kibana');
  const importer = service('kibana-import').command ?? [];
  assertServed(importer[importer.indexOf('--kibana') + 1] as string, 'kibana-import');
});

test('the demo services are wired to compose services', () => {
  const project = composeProject();
  const preloaded = Object.entries(project.services).filter(
    ([, s]) => s.environment?.OTEL_SERVICE_NAME,
  );
  assert.equal(preloaded.length, 4);
  for (const [name, s] of preloaded) {
    const e = s.environment ?? {};
    assertServed(e.OTEL_EXPORTER_OTLP_ENDPOINT as string, `${name} OTLP`);
    assert.equal(e.OBSKIT_LOG_TRANSPORTS, 'fluentd,console');
    assertServed((e.OBSKIT_LOG_FLUENTD_URL as string).replace('tcp:', 'http:'), `${name} Fluentd`);
    if (e.MONGODB_URL) assertServed(e.MONGODB_URL.replace('mongodb:', 'http:'), `${name} MongoDB`);
    if (e.REDIS_URL) assertServed(e.REDIS_URL.replace('redis:', 'http:'), `${name} Redis`);
  }
  // The gateway balances over every replica: the name they share resolves to all of them.
  const target = service('gateway').environment?.ENTITY_SERVICE_TARGET as string;
  const [, host, port] = /^dns:\/\/\/([^:]+):(\d+)$/.exec(target) ?? [];
  assert.equal(whyNotServed(host as string, Number(port)), undefined, target);
  const replicas = Object.entries(project.services).filter(([, s]) =>
    Object.values(s.networks ?? {}).some((n) => n?.aliases?.includes(host as string)),
  );
  assert.deepEqual(
    replicas.map(([name]) => name),
    ['entity-service-1', 'entity-service-2'],
  );
  const load = service('load-generator').command ?? [];
  assertServed(load[load.indexOf('--url') + 1] as string, 'load-generator');
});
