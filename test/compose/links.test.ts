// Every address a config or a service is given inside compose names a compose service (or a
// Traefik host name, for links opened in a browser) and a port that service exposes: Grafana's
// datasources, Kibana's trace.id link, Prometheus's targets, Alertmanager's webhook, Fluentd's
// output, what the demo services are wired to and what they register in etcd.

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
  const preloaded = Object.entries(composeProject().services).filter(
    ([, s]) => s.environment?.OTEL_SERVICE_NAME,
  );
  assert.equal(preloaded.length, 4);
  for (const [name, s] of preloaded) {
    const e = s.environment ?? {};
    assertServed(e.OTEL_EXPORTER_OTLP_ENDPOINT as string, `${name} OTLP`);
    assert.equal(e.OBSKIT_LOG_TRANSPORTS, 'fluentd,console');
    assertServed((e.OBSKIT_LOG_FLUENTD_URL as string).replace('tcp:', 'http:'), `${name} Fluentd`);
  }
  // Through Traefik, as `obskit demo` sends its load: the gateway is routed from etcd.
  const load = service('load-generator').command ?? [];
  const edge = load[load.indexOf('--url') + 1] as string;
  assertServed(edge, 'load-generator');
  assert.equal(new URL(edge).hostname, 'traefik');
});

test('discovery as `obskit demo` runs it: every service in etcd under a host its callers reach', () => {
  const discovered = Object.entries(composeProject().services).filter(
    ([, s]) => s.environment?.HOST,
  );
  assert.deepEqual(
    discovered.map(([name]) => name),
    ['entity-service-1', 'entity-service-2', 'gateway'],
  );
  for (const [name, s] of discovered) {
    const e = s.environment ?? {};
    assert.equal(e.DISCOVERY, 'etcd', name);
    assertServed(e.OBSKIT_ETCD_URL as string, `${name} etcd`);
    assert.equal(e.HOST, '0.0.0.0', `${name} listens on the container's interfaces`);
    // What it registers (host:PORT) is this very service on the port it listens on.
    assert.equal(e.OBSKIT_ADVERTISE_HOST, name);
    assert.equal(whyNotServed(e.OBSKIT_ADVERTISE_HOST as string, Number(e.PORT)), undefined, name);
    // Static addresses would be ignored under discovery: none is left to mislead.
    for (const unused of ['ENTITY_SERVICE_TARGET', 'MONGODB_URL', 'REDIS_URL'])
      assert.equal(e[unused], undefined, `${name} sets ${unused}`);
  }
  assert.ok(service('gateway').depends_on?.['entity-service-1']);
});

test("etcd-setup puts the stores' compose addresses where the entity service reads them", () => {
  const e = service('etcd-setup').environment ?? {};
  assertServed(e.OBSKIT_ETCD_URL as string, 'etcd-setup');
  assertServed(`http://${e.REDIS_ADDRESS}`, 'Redis');
  assertServed(`http://${e.MONGODB_ADDRESS}`, 'MongoDB');
  for (const replica of ['entity-service-1', 'entity-service-2'])
    assert.equal(
      service(replica).depends_on?.['etcd-setup']?.condition,
      'service_completed_successfully',
    );
});
