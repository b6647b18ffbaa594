// Jaeger's ports as the local stack renders them, nothing started: its own metrics port, which
// config.yaml names by itself (no host:port for the renderer to move), follows its variable.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { launchPlan } from '../../stack/launch';
import { localStackConfig } from '../../stack/local-stack';

const scratch = mkdtempSync(join(tmpdir(), 'obskit-jaeger-ports-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function jaegerLaunch(env: NodeJS.ProcessEnv) {
  const config = localStackConfig({
    OBSKIT_HOME: join(scratch, 'home'),
    OBSKIT_RUN_DIR: join(scratch, String(Object.keys(env).length)),
    ...env,
  });
  const jaeger = config.backends.find((b) => b.name === 'jaeger');
  assert.ok(jaeger);
  const plan = launchPlan(config, jaeger, undefined);
  const text = readFileSync(join(config.runDir, 'jaeger', 'config', 'config.yaml'), 'utf8');
  return { plan, text };
}

test('OBSKIT_PORT_JAEGER_METRICS moves the port of Jaeger’s own /metrics', () => {
  const { plan, text } = jaegerLaunch({ OBSKIT_PORT_JAEGER_METRICS: '28888' });
  assert.match(text, /port: \$\{env:JAEGER_METRICS_PORT:-8888\}/);
  assert.equal(plan.env?.JAEGER_METRICS_PORT, '28888');
});

test('without the variable, Jaeger’s /metrics stays on 8888, as in compose', () => {
  assert.equal(jaegerLaunch({}).plan.env?.JAEGER_METRICS_PORT, '8888');
});
