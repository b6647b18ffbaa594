// compose/docker-compose.yml through the Compose Specification's loader (compose-go, which
// Docker Compose v2 runs): refused with compose/.env.example as shipped (its secrets are empty),
// naming what is missing; accepted once every secret is set; refused again with any one of them
// missing or empty, naming it.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  completeEnvFile,
  completeEnvText,
  composeProject,
  envExample,
  envFileVariables,
  repoPath,
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

/** A user's compose/.env: the example with every secret set. */
const completeLines = () => completeEnvText().split('\n');
const missing = (name: string) =>
  new RegExp(`required variable ${name} is missing a value: set ${name} in compose/\\.env`);

test('.env.example as shipped is refused: the first line names a missing secret, every one is named', () => {
  const result = runComposeCheck(envExample);
  assert.equal(result.status, 1, result.stdout);
  const first = /required variable (\w+) is missing a value/.exec(
    result.stderr.split('\n')[0] ?? '',
  );
  assert.ok(requiredVariables().includes(first?.[1] as string), result.stderr);
  for (const name of requiredVariables()) assert.match(result.stderr, missing(name));
});

test("the compose docs' first-run error is the loader's first line with .env.example", () => {
  const page = readFileSync(repoPath('docs', 'compose.md'), 'utf8');
  const quoted = /^error while interpolating .+$/m.exec(page)?.[0];
  assert.ok(quoted, 'docs/compose.md quotes what `up` prints');
  const first = runComposeCheck(envExample).stderr.split('\n')[0] as string;
  // The checker prefixes its name; `docker compose` prints compose-go's message as it is.
  assert.equal(first.replace(/^compose-check: /, ''), quoted);
});

test('the loader accepts the file once every secret is set', () => {
  const result = runComposeCheck(completeEnvFile());
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /docker-compose\.yml: valid, project obskit, \d+ services/);
});

test('the project holds every service the issue asks for', () => {
  const services = Object.keys(composeProject().services).sort();
  assert.deepEqual(services, [
    'alert-webhook',
    'alertmanager',
    'elasticsearch',
    'elasticsearch-exporter',
    'elasticsearch-setup',
    'entity-service-1',
    'entity-service-2',
    'etcd',
    'etcd-setup',
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

test('.env.example lists exactly the variables the file requires, each with no value', () => {
  const required = requiredVariables().sort();
  assert.ok(required.length >= 9, `only ${required.join(', ')} required`);
  const example = envFileVariables(envExample);
  assert.deepEqual([...example.keys()].sort(), required);
  // A value here would pass every `${VAR:?}` guard: anyone who copies the file would run with it.
  for (const [name, value] of example)
    assert.equal(value, '', `${name} has a value in the example`);
});

for (const name of requiredVariables()) {
  test(`without ${name} the loader refuses the file and names it`, () => {
    const lines = completeLines().filter((line) => !line.startsWith(`${name}=`));
    const result = runComposeCheck(envFile(`without-${name}`, lines.join('\n')));
    assert.equal(result.status, 1);
    assert.match(result.stderr, missing(name));
    // Only the one left out: the others are set.
    assert.doesNotMatch(result.stderr, new RegExp(`required variable (?!${name} )`));
  });
}

test('an empty required variable is refused too', () => {
  const [name] = requiredVariables();
  const lines = completeLines().map((line) => (line.startsWith(`${name}=`) ? `${name}=` : line));
  const result = runComposeCheck(envFile('empty', lines.join('\n')));
  assert.equal(result.status, 1);
  assert.match(result.stderr, missing(name as string));
});

test("the example's optional settings, uncommented, load and take effect", () => {
  const lines = completeLines().map((line) => line.replace(/^# (OBSKIT_[A-Z_]+=)/, '$1'));
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
