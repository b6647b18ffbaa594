// compose/docker-compose.yml through the Compose Specification's loader (compose-go, which
// Docker Compose v2 runs): accepted with compose/.env.example, refused with a required variable
// missing or empty, naming it.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  composeProject,
  envExample,
  envFileVariables,
  requiredVariables,
  runComposeCheck,
} from './model';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-compose-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const envFile = (name: string, content: string) => {
  const file = join(scratch, name);
  writeFileSync(file, content);
  return file;
};

const exampleLines = () => readFileSync(envExample, 'utf8').split('\n');

test('the loader accepts the file with .env.example', () => {
  const result = runComposeCheck(envExample);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /docker-compose\.yml: valid, project obskit, \d+ services/);
});

test('the project holds every service the issue asks for', () => {
  const services = Object.keys(composeProject().services).sort();
  assert.deepEqual(services, [
    'alert-webhook',
    'alertmanager',
    'elasticsearch',
    'elasticsearch-setup',
    'entity-service-1',
    'entity-service-2',
    'etcd',
    'fluentd',
    'gateway',
    'grafana',
    'jaeger',
    'kibana',
    'kibana-import',
    'load-generator',
    'mongodb',
    'prometheus',
    'redis',
    'traefik',
  ]);
});

test('.env.example sets exactly the variables the file requires', () => {
  const required = requiredVariables().sort();
  assert.ok(required.length >= 5, `only ${required.join(', ')} required`);
  assert.deepEqual([...envFileVariables(envExample).keys()].sort(), required);
});

for (const name of requiredVariables()) {
  test(`without ${name} the loader refuses the file and names it`, () => {
    const lines = exampleLines().filter((line) => !line.startsWith(`${name}=`));
    const result = runComposeCheck(envFile(`without-${name}`, lines.join('\n')));
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`required variable ${name} is missing a value`));
    assert.match(result.stderr, new RegExp(`set ${name} in compose/\\.env`));
  });
}

test('an empty required variable is refused too', () => {
  const [name] = requiredVariables();
  const lines = exampleLines().map((line) => (line.startsWith(`${name}=`) ? `${name}=` : line));
  const result = runComposeCheck(envFile('empty', lines.join('\n')));
  assert.equal(result.status, 1);
  assert.match(result.stderr, new RegExp(`required variable ${name} is missing a value`));
});

test("the example's optional settings, uncommented, load and take effect", () => {
  const lines = exampleLines().map((line) => line.replace(/^# (OBSKIT_[A-Z_]+=)/, '$1'));
  const uncommented = lines.filter((line) => line.startsWith('OBSKIT_'));
  assert.ok(uncommented.length >= 5, 'the optional settings are listed, commented');
  const changed = lines.map((line) =>
    line.replace(/^OBSKIT_PORT_TRAEFIK_WEB=80\b/, 'OBSKIT_PORT_TRAEFIK_WEB=8000'),
  );
  const project = composeProject(envFile('optional', changed.join('\n')));
  const traefik = project.services.traefik;
  // The example's line carries a comment after the value, which the loader drops.
  assert.deepEqual(
    traefik?.ports?.map((p) => [p.host_ip, p.published, p.target]),
    [['127.0.0.1', '8000', 8000]],
  );
  assert.equal(
    project.services.grafana?.environment?.GF_SERVER_ROOT_URL,
    'http://grafana.localhost:8000/',
  );
  assert.equal(
    project.services.elasticsearch?.environment?.ES_JAVA_OPTS,
    '-Xms512m -Xmx512m',
    'an unquoted value with a space',
  );
});
