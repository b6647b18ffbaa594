// Every image compose runs, in either topology, is pinned to an exact version, in the tag scheme its project
// publishes (a tag outside it is one `docker compose up` cannot pull or build from). Where the
// local stack runs the same backend, the versions agree with stack/backends/; every other
// image is listed here with the reason it has no local counterpart (docs/compose.md
// says the same).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { backends } from '../../stack/backends';
import { clusterOnlyImages, clusterProject, composeProject, repoPath } from './model';

/** Each image's exact-version tags, as its project publishes them. */
const tagSchemes: Record<string, RegExp> = {
  // fluent/fluentd-docker-image TAGRULE.md: vX.Y.Z-A.B, Debian images vX.Y.Z-debian-A.B; its
  // README lists the 1.19 line as -debian-2.B only (v1.19.2-debian-2.0 … v1.19.3-debian-2.2).
  'fluent/fluentd': /^v1\.19\.\d+-debian-2\.\d+$/,
  // Elastic's "Install Elasticsearch with Docker" / "Install Kibana with Docker": X.Y.Z.
  'docker.elastic.co/elasticsearch/elasticsearch': /^\d+\.\d+\.\d+$/,
  'docker.elastic.co/kibana/kibana': /^\d+\.\d+\.\d+$/,
  // Grafana's "Run Grafana Docker image": grafana/grafana:<version>, X.Y.Z.
  'grafana/grafana': /^\d+\.\d+\.\d+$/,
  // Docker's official image (docker-library/official-images library/traefik): vX.Y.Z, also
  // X.Y.Z; Traefik's own docs pin the v form.
  traefik: /^v\d+\.\d+\.\d+$/,
  // jaegertracing/jaeger scripts/utils/compute-tags.sh: the release tag without its v, X.Y.Z.
  'jaegertracing/jaeger': /^\d+\.\d+\.\d+$/,
  // prometheus/promci-images publish_release: DOCKER_IMAGE_TAG is the git tag, vX.Y.Z.
  'prom/prometheus': /^v\d+\.\d+\.\d+$/,
  'prom/alertmanager': /^v\d+\.\d+\.\d+$/,
  // etcd scripts/release.sh pushes quay.io/coreos/etcd:v${VERSION}; CHANGELOG-3.4: exact
  // vX.Y.Z tags only from 3.4 on.
  'quay.io/coreos/etcd': /^v\d+\.\d+\.\d+$/,
  // prometheus-community's Makefile.common (promu) pushes the git tag, vX.Y.Z, to quay.io.
  'quay.io/prometheuscommunity/elasticsearch-exporter': /^v\d+\.\d+\.\d+$/,
  // apache/kafka docker/README.md: a release candidate X.Y.Z-rcN is promoted to the release's
  // own X.Y.Z (apache/kafka:3.6.0-rc0 to apache/kafka:3.6.0).
  'apache/kafka': /^\d+\.\d+\.\d+$/,
  // Docker's official images (library/redis, library/mongo): X.Y.Z.
  redis: /^\d+\.\d+\.\d+$/,
  mongo: /^\d+\.\d+\.\d+$/,
  // library/node: X.Y.Z-bookworm-slim, the Debian slim variant.
  node: /^\d+\.\d+\.\d+-bookworm-slim$/,
};

/** Tags that were never published: each scheme must refuse them. */
const neverPublished = [
  'fluent/fluentd:v1.19.2-debian-1.0',
  'fluent/fluentd:v1.19.2-1.0',
  'jaegertracing/jaeger:v2.13.0',
  'prom/prometheus:2.42.0',
  'quay.io/coreos/etcd:3.4.23',
  'docker.elastic.co/elasticsearch/elasticsearch:v8.19.9',
  'grafana/grafana:12.4',
  'apache/kafka:v4.1.1',
];

/** The images of backends the local stack also runs: compose image → manifest backend. */
const sameBackend: Record<string, string> = {
  'jaegertracing/jaeger': 'jaeger',
  'prom/prometheus': 'prometheus',
  'prom/alertmanager': 'alertmanager',
  'docker.elastic.co/elasticsearch/elasticsearch': 'elasticsearch',
  redis: 'redis',
  traefik: 'traefik',
  'quay.io/coreos/etcd': 'etcd',
  'quay.io/prometheuscommunity/elasticsearch-exporter': 'elasticsearch-exporter',
  // Those of the cluster topology only (compose/cluster.yml), Kafka's.
  ...clusterOnlyImages,
};

/** Images without a local counterpart, and why. */
const composeOnly: Record<string, string> = {
  'docker.elastic.co/kibana/kibana':
    'no Kibana package reaches the local stack; the same version as Elasticsearch',
  'grafana/grafana':
    'Grafana cannot be built locally (AGPL source); 12.4 loads dashboards of schemaVersion 42',
  mongo:
    'the local stack speaks the wire protocol with FerretDB 1.24; compose runs the real server',
  'fluent/fluentd':
    'no Fluentd package here: the local stack runs an OpenTelemetry Collector stand-in',
  node: 'builds obskit; a Node version `make test-node-versions` tests',
};

const project = composeProject();
const builtImages = Object.values(project.services).filter((s) => s.build);
/** Pulled by either topology: the cluster's override adds its cluster-only backends' images. */
const pulledImages = [
  ...new Set(
    [project, clusterProject()]
      .flatMap((p) => Object.values(p.services))
      .filter((s) => !s.build)
      .map((s) => s.image as string),
  ),
];
const dockerfiles = [
  ...new Set(builtImages.map((s) => `${s.build?.context}/${s.build?.dockerfile ?? 'Dockerfile'}`)),
];
const baseImages = dockerfiles.flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^FROM (\S+)/gm)].map((m) => m[1] as string),
);
const nameOf = (image: string) => image.slice(0, image.lastIndexOf(':'));
const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1);
const versionOf = (image: string) => /\d+\.\d+\.\d+/.exec(tagOf(image))?.[0] as string;
const inScheme = (image: string) => tagSchemes[nameOf(image)]?.test(tagOf(image)) ?? false;

test("every pulled image and every Dockerfile base is tagged in its project's published scheme", () => {
  assert.equal(dockerfiles.length, 2);
  for (const image of [...pulledImages, ...baseImages]) {
    assert.ok(tagSchemes[nameOf(image)], `${image}: no published tag scheme listed`);
    assert.ok(inScheme(image), `${image}: not a tag ${nameOf(image)} publishes`);
  }
});

test('the schemes are exact: tags that were never published are refused', () => {
  for (const image of neverPublished) assert.equal(inScheme(image), false, image);
});

test('images built here are tagged local and built from the repository', () => {
  for (const s of builtImages) assert.match(s.image as string, /^[a-z-]+:local$/);
});

test('every image is either the local backend at its version or listed with a reason', () => {
  for (const image of [...pulledImages, ...baseImages]) {
    const name = nameOf(image);
    assert.ok(sameBackend[name] || composeOnly[name], `${image} is not accounted for`);
  }
});

for (const [image, backendName] of Object.entries(sameBackend)) {
  test(`${image} is the version the local stack runs (${backendName})`, () => {
    const pinned = pulledImages.find((i) => nameOf(i) === image);
    assert.ok(pinned, `compose runs ${image}`);
    const manifest = backends.find((b) => b.name === backendName);
    const version = versionOf(pinned);
    // The manifest pins Debian packages by release line (2.42, 7.0) and the rest exactly.
    assert.ok(
      version === manifest?.version || version.startsWith(`${manifest?.version}.`),
      `${pinned} against ${backendName} ${manifest?.version}`,
    );
  });
}

test('Kibana is the version of Elasticsearch', () => {
  const version = (name: string) =>
    versionOf(pulledImages.find((i) => nameOf(i) === `docker.elastic.co/${name}/${name}`) ?? '');
  assert.equal(version('kibana'), version('elasticsearch'));
});

test('Grafana is a 12.x that loads the dashboards (schemaVersion 42 arrived in 12.2)', () => {
  const grafana = pulledImages.find((i) => nameOf(i) === 'grafana/grafana') as string;
  const [major, minor] = versionOf(grafana).split('.').map(Number);
  assert.equal(major, 12);
  assert.ok((minor as number) >= 2, grafana);
  const dashboards = readFileSync(
    repoPath('dashboards/grafana/dashboards/services-overview.json'),
    'utf8',
  );
  assert.equal((JSON.parse(dashboards) as { schemaVersion: number }).schemaVersion, 42);
});

test("Fluentd's Elasticsearch client is of Elasticsearch's major version", () => {
  const dockerfile = readFileSync(repoPath('compose/fluentd/Dockerfile'), 'utf8');
  const client = /gem install elasticsearch --no-document --version (\d+)\.\d+\.\d+/.exec(
    dockerfile,
  );
  const es = backends.find((b) => b.name === 'elasticsearch')?.version ?? '';
  assert.equal(client?.[1], es.split('.')[0]);
  assert.match(
    dockerfile,
    /gem install fluent-plugin-elasticsearch --no-document --version \d+\.\d+\.\d+/,
  );
});

test("the obskit image's Node is one `make test-node-versions` tests", () => {
  const node = baseImages.find((i) => nameOf(i) === 'node') as string;
  const makefile = readFileSync(repoPath('Makefile'), 'utf8');
  const tested = /^EXTRA_NODE_VERSIONS := (.+)$/m.exec(makefile)?.[1]?.split(/\s+/) ?? [];
  assert.ok(tested.includes(versionOf(node)), `${node} against ${tested.join(', ')}`);
});

test('Traefik is a v3 release, which collectors/traefik is written for', () => {
  const traefik = pulledImages.find((i) => nameOf(i) === 'traefik') as string;
  assert.match(traefik, /^traefik:v3\.\d+\.\d+$/);
});
