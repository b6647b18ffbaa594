// collectors/traefik as compose runs it: every router names an existing Traefik service and
// entry point, every Traefik service a compose service and a port it exposes; the UIs sit on
// the host names the issue lists, Traefik's traces go to Jaeger and Prometheus scrapes it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { repoPath, service, whyNotServed } from './model';

interface StaticConfig {
  entryPoints: Record<string, { address: string }>;
  providers: { file: { filename: string }; etcd: { endpoints: string[]; rootKey: string } };
  ping: { entryPoint: string };
  metrics: { prometheus: { entryPoint: string } };
  tracing: { otlp: { http: { endpoint: string } } };
}

interface DynamicConfig {
  http: {
    routers: Record<string, { rule: string; entryPoints: string[]; service: string }>;
    services: Record<string, { loadBalancer: { servers: { url: string }[] } }>;
  };
}

const read = <T>(file: string) =>
  parse(readFileSync(repoPath('collectors/traefik', file), 'utf8')) as T;
const staticConfig = read<StaticConfig>('traefik.yml');
const dynamic = read<DynamicConfig>('dynamic.yml');
const portOf = (address: string) => Number(address.split(':').at(-1));
const traefik = service('traefik');

test('every router names an existing Traefik service and entry point', () => {
  const routers = Object.entries(dynamic.http.routers);
  assert.ok(routers.length >= 6);
  for (const [name, router] of routers) {
    assert.ok(dynamic.http.services[router.service], `router ${name}: service ${router.service}`);
    for (const entryPoint of router.entryPoints)
      assert.ok(staticConfig.entryPoints[entryPoint], `router ${name}: entry point ${entryPoint}`);
  }
});

test('every Traefik service is a compose service on a port it exposes', () => {
  for (const [name, { loadBalancer }] of Object.entries(dynamic.http.services)) {
    for (const { url } of loadBalancer.servers) {
      const { hostname, port } = new URL(url);
      assert.equal(
        whyNotServed(hostname, Number(port)),
        undefined,
        `Traefik service ${name}: ${url}`,
      );
    }
  }
});

test('the UIs and the gateway are on the host names the issue lists', () => {
  const hostOf = (rule: string) => /^Host\(`([^`]+)`\)$/.exec(rule)?.[1];
  const routes = Object.fromEntries(
    Object.values(dynamic.http.routers).map((router) => [
      hostOf(router.rule),
      dynamic.http.services[router.service]?.loadBalancer.servers.map((s) => s.url),
    ]),
  );
  assert.deepEqual(routes, {
    'grafana.localhost': ['http://grafana:3000'],
    'kibana.localhost': ['http://kibana:5601'],
    'jaeger.localhost': ['http://jaeger:16686'],
    'prometheus.localhost': ['http://prometheus:9090'],
    'alertmanager.localhost': ['http://alertmanager:9093'],
    localhost: ['http://gateway:8080'],
  });
});

test("compose publishes the routers' entry point, on 127.0.0.1 only", () => {
  const entryPoints = new Set(Object.values(dynamic.http.routers).flatMap((r) => r.entryPoints));
  assert.deepEqual([...entryPoints], ['web']);
  const web = portOf(staticConfig.entryPoints.web?.address as string);
  assert.deepEqual(
    traefik.ports?.map((p) => [p.host_ip, p.target]),
    [['127.0.0.1', web]],
  );
});

test('compose mounts the folder where Traefik runs, so the file provider finds dynamic.yml', () => {
  const mount = traefik.volumes?.find((v) => v.source === repoPath('collectors/traefik'));
  assert.equal(mount?.target, '/etc/traefik', "Traefik's default config location");
  assert.equal(traefik.working_dir, mount?.target);
  assert.equal(staticConfig.providers.file.filename, 'dynamic.yml');
});

test("Traefik's traces go to Jaeger's OTLP/HTTP receiver", () => {
  const { hostname, port, pathname } = new URL(staticConfig.tracing.otlp.http.endpoint);
  assert.equal(hostname, 'jaeger');
  assert.equal(whyNotServed(hostname, Number(port)), undefined);
  assert.equal(pathname, '/v1/traces');
  assert.equal(traefik.depends_on?.jaeger?.condition, 'service_healthy');
});

test('Prometheus scrapes Traefik on its metrics entry point, which the healthcheck pings too', () => {
  const entryPoint = staticConfig.metrics.prometheus.entryPoint;
  assert.equal(staticConfig.ping.entryPoint, entryPoint);
  const port = portOf(staticConfig.entryPoints[entryPoint]?.address as string);
  assert.equal(whyNotServed('traefik', port), undefined);
  assert.ok(
    !traefik.ports?.some((p) => p.target === port),
    'the metrics entry point is not published',
  );
  assert.deepEqual(traefik.healthcheck?.test, ['CMD', 'traefik', 'healthcheck']);
  const prometheusYml = readFileSync(repoPath('collectors/prometheus/prometheus.yml'), 'utf8');
  assert.match(
    prometheusYml,
    new RegExp(`job_name: traefik\\n\\s+static_configs:\\n\\s+- targets: \\["traefik:${port}"\\]`),
  );
});

test("Traefik's etcd provider reads compose's etcd, which Traefik waits for", () => {
  const { endpoints, rootKey } = staticConfig.providers.etcd;
  assert.equal(rootKey, 'traefik');
  for (const endpoint of endpoints) {
    const [host, port] = endpoint.split(':');
    assert.equal(whyNotServed(host as string, Number(port)), undefined, endpoint);
  }
  assert.equal(traefik.depends_on?.etcd?.condition, 'service_healthy');
});
