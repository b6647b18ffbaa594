// compose/cluster.yml's members and clients held to the local stack's cluster topology
// (stack/backends/, resolved with OBSKIT_TOPOLOGY=cluster): the same members by name, each on its
// backend's own port in a container of its own; etcd's and Elasticsearch's settings those
// `stack up` passes, with each loopback address as the member's compose name; and every client
// given every member, each address a service of the pair that serves it. Kafka and Jaeger's
// collector and ingester: cluster-kafka.test.ts.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { backends } from '../../stack/backends';
import { javaOptsOf, nodeSettings } from '../../stack/backends/elasticsearch';
import { memberArgs } from '../../stack/backends/etcd';
import { composeClusterSources } from '../../stack/compose-cluster';
import { resolveStackConfig } from '../../stack/config';
import { replicasFor } from '../../stack/elasticsearch-client';
import { listComposeMembers } from '../../stack/render';
import type { Backend, Member } from '../../stack/types';
import { clusterProject, composeProject, repoPath, service, whyNotServed } from './model';

const local = resolveStackConfig(backends, { OBSKIT_TOPOLOGY: 'cluster' });
const backend = (name: string) => local.backends.find((b) => b.name === name) as Backend;
const clustered = local.backends.filter((b) => b.members.length > 1);
const pair = clusterProject();
const of = (name: string) => service(name, pair);

/** The compose service of a member: the first keeps its backend's service name. */
const serviceOf = (b: Backend, m: Member) => (m === b.members[0] ? b.host : m.name);
const defaultPort = (b: Backend, name: string) =>
  b.resolvedPorts.find((p) => p.name === name)?.defaultPort as number;
/** Each member at `scheme` + its compose name + the backend's own port `portName`. */
const addresses = (b: Backend, portName: string, scheme = '') =>
  b.members.map((m) => `${scheme}${m.name}:${defaultPort(b, portName)}`);

/** A local loopback address of a member, as compose names it. */
function composeAddress(text: string): string {
  let result = text;
  for (const b of clustered)
    for (const m of b.members)
      for (const p of m.resolvedPorts)
        result = result.replaceAll(`127.0.0.1:${p.port}`, `${m.name}:${defaultPort(b, p.name)}`);
  return result;
}

test('the clustered backends are the local ones, each member a service (the first by alias)', () => {
  assert.deepEqual(
    clustered.map((b) => b.name).sort(),
    ['elasticsearch', 'elasticsearch-exporter', 'etcd', 'jaeger'].sort(),
  );
  for (const b of clustered)
    for (const m of b.members) {
      const s = of(serviceOf(b, m));
      if (serviceOf(b, m) !== m.name)
        assert.deepEqual(s.networks?.default?.aliases, [m.name], m.name);
      // Each of the member's own ports (Jaeger's ingester has two), at the backend's port of
      // that name: alone in its container, no member needs a port of its own.
      for (const p of m.resolvedPorts) {
        const port = defaultPort(b, p.name);
        assert.equal(whyNotServed(m.name, port, pair), undefined, `${m.name} ${p.name}`);
      }
    }
});

test("etcd: each member's flags are the local member's, its addresses by compose name", () => {
  const etcd = backend('etcd');
  const skipped = ['--data-dir', '--logger', '--log-outputs'];
  for (const m of etcd.members) {
    const args = memberArgs(etcd, m, '/data');
    const expected: string[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const [flag, value] = [args[i] as string, args[i + 1] as string];
      if (skipped.includes(flag)) continue;
      const address = composeAddress(value);
      // It listens on the container's interfaces, on the backend's own port.
      const listen = flag.startsWith('--listen-');
      expected.push(`${flag}=${listen ? address.replace(/\/\/[^:/]+:/, '//0.0.0.0:') : address}`);
    }
    const command = of(serviceOf(etcd, m)).command ?? [];
    assert.deepEqual(
      command.slice(1).filter((a) => !skipped.some((s) => a.startsWith(`${s}=`))),
      expected,
    );
    assert.equal(command[0], 'etcd');
  }
});

test("Elasticsearch: each node's settings are the local node's, with transport TLS and its heap", () => {
  const es = backend('elasticsearch');
  const script = (of('elasticsearch-certs').command ?? []).join('\n');
  assert.match(script, new RegExp(`for node in ${es.members.map((m) => m.name).join(' ')};`));
  for (const m of es.members) {
    const env = of(serviceOf(es, m)).environment ?? {};
    for (const [key, value] of nodeSettings(es, m)) {
      // Each node is alone in its container: its own ports are the defaults.
      if (key === 'http.port' || key === 'transport.port') continue;
      assert.equal(env[key], composeAddress(String(value)), `${m.name} ${key}`);
    }
    assert.equal(env.ES_JAVA_OPTS, javaOptsOf(es));
    assert.equal(env['xpack.security.transport.ssl.enabled'], 'true');
    assert.equal(env['xpack.security.transport.ssl.key'], `certs/${m.name}/${m.name}.key`);
    assert.equal(env['xpack.security.transport.ssl.certificate'], `certs/${m.name}/${m.name}.crt`);
    const s = of(serviceOf(es, m));
    assert.equal(
      s.depends_on?.['elasticsearch-certs']?.condition,
      'service_completed_successfully',
    );
    const certs = s.volumes?.find((v) => v.source === 'elasticsearch-certs');
    assert.deepEqual(
      [certs?.target, certs?.read_only],
      ['/usr/share/elasticsearch/config/certs', true],
    );
  }
  const data = es.members.map(
    (m) => of(serviceOf(es, m)).volumes?.find((v) => v.target.endsWith('/data'))?.source,
  );
  assert.equal(new Set(data).size, es.members.length, 'each node its own data volume');
});

test('each elasticsearch_exporter asks the node of its own index, as locally', () => {
  const exporter = backend('elasticsearch-exporter');
  const es = backend('elasticsearch');
  exporter.members.forEach((m, index) => {
    const uri = (of(serviceOf(exporter, m)).command ?? []).find((a) => a.startsWith('--es.uri='));
    assert.equal(uri, `--es.uri=http://${es.members[index]?.name}:${defaultPort(es, 'http')}`);
  });
});

test('every etcd client is given every member', () => {
  const etcd = backend('etcd');
  const urls = addresses(etcd, 'client', 'http://').join(',');
  for (const name of ['etcd-setup', 'entity-service-1', 'entity-service-2', 'gateway'])
    assert.equal(of(name).environment?.OBSKIT_ETCD_URL, urls, name);
  const traefik = parse(readFileSync(repoPath('compose/cluster/traefik.yml'), 'utf8'));
  assert.deepEqual(traefik.providers.etcd.endpoints, addresses(etcd, 'client'));
  for (const name of ['traefik', 'etcd-setup'])
    for (const m of etcd.members.slice(1))
      assert.equal(of(name).depends_on?.[m.name]?.condition, 'service_healthy', name);
});

test('every Elasticsearch client is given every node, and the indices one replica', () => {
  const es = backend('elasticsearch');
  const urls = addresses(es, 'http', 'http://');
  assert.equal(of('elasticsearch-setup').environment?.ELASTICSEARCH_URL, urls.join(','));
  assert.equal(
    of('fluentd').environment?.FLUENTD_ELASTICSEARCH_HOSTS,
    addresses(es, 'http').join(','),
  );
  const storage = parse(
    readFileSync(repoPath('compose/cluster/storage-elasticsearch.yaml'), 'utf8'),
  );
  const store = storage.extensions.jaeger_storage.backends.traces.elasticsearch;
  assert.deepEqual(store.server_urls, urls);
  assert.equal(of('jaeger').environment?.JAEGER_ELASTICSEARCH_REPLICAS, String(replicasFor(3)));
  for (const url of urls) {
    const { hostname, port } = new URL(url);
    assert.equal(whyNotServed(hostname, Number(port), pair), undefined, url);
  }
});

test("Prometheus' etcd and elasticsearch jobs scrape every member", () => {
  const config = parse(readFileSync(repoPath('compose/cluster/prometheus.yml'), 'utf8'));
  const targets = (job: string) =>
    config.scrape_configs.find((c: { job_name: string }) => c.job_name === job).static_configs[0]
      .targets as string[];
  assert.deepEqual(targets('etcd'), addresses(backend('etcd'), 'client'));
  assert.deepEqual(targets('elasticsearch'), addresses(backend('elasticsearch-exporter'), 'http'));
  for (const target of [...targets('etcd'), ...targets('elasticsearch')]) {
    const [host, port] = target.split(':');
    assert.equal(whyNotServed(host as string, Number(port), pair), undefined, target);
  }
});

/** Every file under `path`, itself if it is one. */
const filesUnder = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)))
    : [path];

test('no file the single topology mounts from collectors/ lists a member without its variant', () => {
  const mounted = Object.values(composeProject().services).flatMap((s) =>
    (s.volumes ?? [])
      .filter((v) => v.type === 'bind' && v.source?.startsWith(repoPath('collectors')))
      .flatMap((v) => filesUnder(v.source as string)),
  );
  const listing = [...new Set(mounted)]
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return listComposeMembers(text, local.backends) !== text;
    })
    .map((file) => relative(repoPath(''), file));
  assert.deepEqual(listing.sort(), [...composeClusterSources].sort());
});
