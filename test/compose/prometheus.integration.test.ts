// compose's Prometheus config as its container sees it — collectors/prometheus with compose's
// targets mounted over targets/ — checked by promtool, Prometheus's own code at the local
// stack's version: the config loads, the demo's services are discovered with their labels, and
// Traefik and etcd are scraped at their compose host names (which the local stack renders).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoPath } from './model';

interface Discovered {
  labels: Record<string, string>;
}

const etc = join(mkdtempSync(join(tmpdir(), 'obskit-compose-prometheus-')), 'prometheus');
after(() => rmSync(join(etc, '..'), { recursive: true, force: true }));
cpSync(repoPath('collectors/prometheus'), etc, { recursive: true });
rmSync(join(etc, 'targets'), { recursive: true });
cpSync(repoPath('compose/prometheus/targets'), join(etc, 'targets'), { recursive: true });

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `promtool ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const discover = (config: string, job: string) =>
  (JSON.parse(promtool('check', 'service-discovery', config, job)) as Discovered[]).map(
    ({ labels }) => [labels.__address__, labels.service ?? ''],
  );

test("compose's Prometheus config loads, rules included", () => {
  assert.match(promtool('check', 'config', join(etc, 'prometheus.yml')), /SUCCESS/);
});

test('compose: the demo services are discovered with their service label', () => {
  assert.deepEqual(discover(join(etc, 'prometheus.yml'), 'obskit-apps').sort(), [
    ['entity-service-1:9464', 'entity-service'],
    ['entity-service-2:9464', 'entity-service'],
    ['gateway:9464', 'gateway'],
    ['load-generator:9464', 'load-generator'],
  ]);
});

test("Traefik's and etcd's jobs scrape their compose hosts, without compose's targets too", () => {
  for (const config of [
    join(etc, 'prometheus.yml'),
    repoPath('collectors/prometheus/prometheus.yml'),
  ]) {
    assert.deepEqual(discover(config, 'traefik'), [['traefik:8082', '']]);
    assert.deepEqual(discover(config, 'etcd'), [['etcd:2379', '']]);
  }
});
