import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ObskitError } from '../../common/errors';
import { backends } from '../../stack/backends';
import { resolveStackConfig, selectBackends } from '../../stack/config';

const resolve = (env: NodeJS.ProcessEnv) => resolveStackConfig(backends, env);

test('every port has its own override variable', () => {
  const config = resolve({});
  const envs = config.backends.flatMap((b) => b.resolvedPorts.map((p) => p.env));
  assert.equal(new Set(envs).size, envs.length);
  assert.ok(envs.includes('OBSKIT_PORT_REDIS'));
  assert.ok(envs.includes('OBSKIT_PORT_JAEGER_OTLP_HTTP'));
});

test('a port variable overrides the default', () => {
  const redis = resolve({ OBSKIT_PORT_REDIS: '16379' }).backends.find((b) => b.name === 'redis');
  assert.deepEqual(
    redis?.resolvedPorts.map((p) => [p.defaultPort, p.port]),
    [[6379, 16379]],
  );
});

for (const bad of ['abc', '0', '70000', '12.5']) {
  test(`OBSKIT_PORT_REDIS=${bad} is refused with the variable named`, () => {
    assert.throws(
      () => resolve({ OBSKIT_PORT_REDIS: bad }),
      (error: unknown) =>
        error instanceof ObskitError &&
        error.code === 'OBSKIT_E_BAD_ENV' &&
        error.message ===
          `OBSKIT_PORT_REDIS="${bad}" is not a port number from 1 to 65535; unset it or fix its value`,
    );
  });
}

test('OBSKIT_HOME and OBSKIT_RUN_DIR place the cache and the run directory', () => {
  const config = resolve({
    OBSKIT_HOME: '/tmp/obskit-home',
    OBSKIT_RUN_DIR: '/tmp/obskit-run',
  });
  assert.deepEqual([config.home, config.runDir], ['/tmp/obskit-home', '/tmp/obskit-run']);
  assert.equal(resolve({ OBSKIT_HOME: '/tmp/h' }).runDir, '/tmp/h/run');
});

test('--only selects backends by name and refuses unknown ones', () => {
  const config = resolve({});
  assert.deepEqual(
    selectBackends(config, ['redis', 'jaeger']).map((b) => b.name),
    ['redis', 'jaeger'],
  );
  assert.equal(selectBackends(config, undefined).length, config.backends.length);
  assert.throws(
    () => selectBackends(config, ['mysql']),
    /unknown backend 'mysql'; choose from: jaeger, /,
  );
});
