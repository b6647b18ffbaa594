// Least privilege where each image allows it: no service gains privileges (no-new-privileges),
// none keeps a Linux capability, and every root filesystem is read-only except where the image
// writes outside its volumes. Each exception is listed with the reason the image gives.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeProject } from './model';

const services = Object.entries(composeProject().services);

/** Services whose image writes outside its volumes, so that a read-only root stops it. */
const writableRoot: Record<string, string> = {
  elasticsearch:
    "the entrypoint writes the keystore (ELASTIC_PASSWORD's bootstrap password) into config/",
  kibana: 'Kibana writes its data/ (the instance UUID) and the reporting browser its profile',
  grafana: "the image's start script and plugin installs write outside /var/lib/grafana",
};

/** Images whose entrypoint drops root with chown and gosu (capabilities): run as their user. */
const ownUser: Record<string, string> = { redis: 'redis', mongodb: 'mongodb' };

/** Services whose process keeps temporary files (sockets): a tmpfs under a read-only root. */
const tmpfs: Record<string, string> = {
  fluentd: "Fluentd's supervisor socket",
  mongodb: "mongod's socket and the entrypoint's temporary files",
};

test('no service can gain privileges: no-new-privileges everywhere', () => {
  assert.ok(services.length >= 19);
  for (const [name, s] of services)
    assert.ok(s.security_opt?.includes('no-new-privileges:true'), `${name}: ${s.security_opt}`);
});

test('no service keeps a capability: cap_drop ALL, nothing added back', () => {
  for (const [name, s] of services) {
    assert.deepEqual(s.cap_drop, ['ALL'], name);
    assert.equal(s.cap_add, undefined, `${name} adds ${s.cap_add}`);
  }
});

test("redis and mongodb run as their images' users, so their entrypoints need no capability", () => {
  for (const [name, user] of Object.entries(ownUser))
    assert.equal(composeProject().services[name]?.user, user, name);
});

test('every root filesystem is read-only but the listed exceptions', () => {
  const writable = services.filter(([, s]) => s.read_only !== true).map(([name]) => name);
  assert.deepEqual(writable.sort(), Object.keys(writableRoot).sort());
});

test('a read-only service that keeps sockets has a tmpfs for them', () => {
  for (const [name] of Object.entries(tmpfs))
    assert.deepEqual(composeProject().services[name]?.tmpfs, ['/tmp'], name);
});
