// compose/cluster.yml merged with docker-compose.yml by the Compose Specification's loader, as
// `docker compose -f docker-compose.yml -f cluster.yml` merges them, and checked as the single
// topology's file is: it adds no image but those of the cluster-only backends (each one
// images.test.ts holds to its published tag scheme and the local version), no secret (every one from compose/.env), the same hardening,
// read-only binds of the repository's files, and every address a service that serves it. The
// configs it mounts from compose/cluster/ are what their collectors/ sources give now.
// test/compose/cluster-members.test.ts holds the members and clients to the local cluster's.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { backends } from '../../stack/backends';
import { composeClusterFiles } from '../../stack/compose-cluster';
import { resolveStackConfig } from '../../stack/config';
import { listComposeMembers } from '../../stack/render';
import { runCli } from '../helpers/stack';
import {
  clusterFile,
  clusterOnlyImages,
  clusterProject,
  composeProject,
  envExample,
  repoPath,
  repoRoot,
  requiredVariables,
  runComposeFiles,
  secretFor,
  topologyFiles,
} from './model';

const single = composeProject();
const cluster = clusterProject();
const added = Object.keys(cluster.services).filter((name) => !single.services[name]);

test('the pair loads as project obskit-cluster: every service of the file, and the members', () => {
  assert.equal(cluster.name, 'obskit-cluster');
  for (const name of Object.keys(single.services)) assert.ok(cluster.services[name], name);
  assert.deepEqual(added.sort(), [
    'elasticsearch-2',
    'elasticsearch-3',
    'elasticsearch-certs',
    'elasticsearch-exporter-2',
    'elasticsearch-exporter-3',
    'etcd-2',
    'etcd-3',
    'jaeger-2',
    'kafka',
    'kafka-setup',
  ]);
});

test('it adds only the images of the cluster-only backends (model.ts), each checked in images.test.ts', () => {
  const images = (p: typeof single) => new Set(Object.values(p.services).map((s) => s.image));
  const known = images(single);
  const imageName = (image: string) => image.slice(0, image.lastIndexOf(':'));
  const newImages = [...images(cluster)].filter((image) => !known.has(image as string));
  assert.deepEqual(
    newImages.map((image) => imageName(image as string)).sort(),
    Object.keys(clusterOnlyImages).sort(),
  );
});

test('it requires no secret the file does not; each is refused when missing, as there', () => {
  const own = requiredVariables(clusterFile);
  assert.deepEqual(
    own.filter((name) => !requiredVariables().includes(name)),
    [],
  );
  assert.ok(own.includes('ELASTIC_PASSWORD') && own.includes('MONITOR_ELASTICSEARCH_PASSWORD'));
  const result = runComposeFiles(topologyFiles.cluster, envExample);
  for (const name of own) assert.match(result.stderr, new RegExp(`required variable ${name} `));
});

test('no literal secret: every password-like value of the pair comes from compose/.env', () => {
  const secretName = /(PASSWORD|SECRET|TOKEN|API_?KEY|ENCRYPTION_?KEY)$/i;
  const fromEnv = new Set(requiredVariables().map(secretFor));
  for (const [name, s] of Object.entries(cluster.services))
    for (const [key, value] of Object.entries(s.environment ?? {}))
      if (secretName.test(key)) assert.ok(fromEnv.has(value as string), `${name} ${key}`);
});

test("hardened as the file's services: no privilege gained, no capability, read-only roots", () => {
  // Elasticsearch's entrypoint writes its keystore into config/ on every node; Kafka's start
  // script its final server.properties into the image.
  const writable = [
    'elasticsearch',
    'elasticsearch-2',
    'elasticsearch-3',
    'grafana',
    'kafka',
    'kibana',
  ];
  for (const [name, s] of Object.entries(cluster.services)) {
    assert.ok(s.security_opt?.includes('no-new-privileges:true'), name);
    assert.deepEqual(s.cap_drop, ['ALL'], name);
    assert.equal(s.cap_add, undefined, name);
    assert.equal(s.read_only !== true, writable.includes(name), `${name} read_only`);
  }
  // The certificates' one-shot: root owns the new volume (no capability needed), the JVM's
  // temporary files in a tmpfs.
  const certs = cluster.services['elasticsearch-certs'];
  assert.equal(certs?.user, '0');
  assert.deepEqual(certs?.tmpfs, ['/tmp']);
  // The topic's one-shot: its tools' log directory in a tmpfs.
  assert.deepEqual(cluster.services['kafka-setup']?.tmpfs, ['/tmp']);
});

test('every bind of the pair is a file of the repository, mounted read-only', () => {
  for (const [name, s] of Object.entries(cluster.services))
    for (const bind of (s.volumes ?? []).filter((v) => v.type === 'bind')) {
      const source = bind.source as string;
      assert.ok(existsSync(source), `${name}: ${source}`);
      assert.ok(!relative(repoRoot, source).startsWith('..'), `${name}: ${source}`);
      assert.equal(bind.read_only, true, `${name}: ${source}`);
    }
});

test('the configs of compose/cluster/ are current with their collectors/ sources (obskit compose check)', () => {
  const result = runCli(['compose', 'check']);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  for (const f of composeClusterFiles(repoRoot, backends)) {
    assert.equal(readFileSync(repoPath(f.file), 'utf8'), f.content, f.file);
    // Each differs from its source: it lists members the source names once.
    assert.notEqual(listComposeMembers(readFileSync(repoPath(f.source), 'utf8'), []), f.content);
  }
});

/** The container path the single topology reads `file` at, through the bind that holds it. */
function mountedAt(serviceName: string, file: string): string | undefined {
  for (const mount of single.services[serviceName]?.volumes ?? []) {
    if (mount.type !== 'bind' || !mount.source) continue;
    const rest = relative(mount.source, file);
    if (rest === '') return mount.target;
    if (!rest.startsWith('..')) return join(mount.target, rest);
  }
  return undefined;
}

const localCluster = resolveStackConfig(backends, { OBSKIT_TOPOLOGY: 'cluster' });

/** The pair's services that run the members of the single topology's service `name`. */
const membersOf = (name: string) => {
  const backend = localCluster.backends.find((b) => b.host === name);
  return backend ? backend.members.map((m, i) => (i === 0 ? name : m.name)) : [name];
};

test('each variant is mounted where its service reads the source, by every member of it', () => {
  const files = composeClusterFiles(repoRoot, backends);
  assert.equal(files.length, 3);
  for (const f of files) {
    const readers = Object.entries(cluster.services)
      .filter(([, s]) => (s.volumes ?? []).some((v) => v.source === repoPath(f.file)))
      .map(([name]) => name);
    const sourceReaders = Object.keys(single.services).filter((name) =>
      mountedAt(name, repoPath(f.source)),
    );
    assert.equal(sourceReaders.length, 1, f.source);
    assert.deepEqual(readers.sort(), sourceReaders.flatMap(membersOf).sort(), f.file);
    for (const source of sourceReaders)
      for (const name of membersOf(source)) {
        const mounts = cluster.services[name]?.volumes ?? [];
        const target = mounts.find((v) => v.source === repoPath(f.file))?.target;
        assert.equal(target, mountedAt(source, repoPath(f.source)), `${name}: ${f.file}`);
      }
  }
});
