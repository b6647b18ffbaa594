// `obskit dash` and `obskit logs search` on half a minute of the demo's data, with one
// entity-service call in five failing: what they print is what the backends hold.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import type { Dashboard } from '../../clients/grafana/model';
import { builtins } from '../../clients/grafana/variables';
import type { PanelView } from '../../dashboards/terminal/frame';
import { demoPlan } from '../../demo-services/launch/plan';
import { appEnv, fixtures } from '../helpers/apps';
import { startDemo } from '../helpers/demo';
import { stackBackends } from '../helpers/grafana';
import { getJson, poll, portOf, repoRoot, runCli, stack, uniqueId } from '../helpers/stack';

const backends = stackBackends();
let demo: ReturnType<typeof startDemo>;

before(async () => {
  demo = startDemo(30, 20);
  await demo.waitFor('the demo services started', /started entity-service-1/, 120_000);
  const faults = { 'entity-service': { latencyMs: 0, errorRate: 0.2, outage: '' } };
  writeFileSync(demoPlan(stack, 2).faultsFile, `${JSON.stringify(faults)}\n`);
  await demo.waitFor('the load done', /the load has ended/, 90_000);
});

after(async () => {
  assert.equal(await demo.stop(), 0);
});

interface DashJson {
  range: { fromMs: number; toMs: number };
  panels: (Omit<PanelView, 'gridPos'> & { gridPos?: never })[];
}

function dashJson(name: string, more: string[] = []): DashJson {
  const result = runCli(['dash', name, '--once', '--json', '--range', '5m', ...more]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as DashJson;
}

const hasValues = (panel: DashJson['panels'][number]) =>
  (
    panel.series ??
    panel.values ??
    panel.lines ??
    panel.traces ??
    panel.table?.rows ??
    panel.heatmap ??
    []
  ).length > 0;

/** The committed dashboard's panel of that title: what its target asks Prometheus. */
function targetOf(name: string, title: string) {
  const file = join(repoRoot, 'dashboards', 'grafana', 'dashboards', `${name}.json`);
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
  return dashboard.panels.find((p) => p.title === title)?.targets?.[0];
}

/** What Prometheus gives for the panel's first query at the frame's time. */
async function prometheusNow(query: string, range: DashJson['range'], instant: boolean) {
  const { intervalS } = builtins(range, backends.scrapeIntervalS);
  const params = new URLSearchParams({ query });
  if (instant) params.set('time', String(range.toMs / 1000));
  else {
    params.set('start', String(Math.floor(range.fromMs / 1000 / intervalS) * intervalS));
    params.set('end', String(range.toMs / 1000));
    params.set('step', String(intervalS));
  }
  const path = instant ? 'query' : 'query_range';
  const answer = await getJson<{
    data: { result: { value?: [number, string]; values?: [number, string][] }[] };
  }>(`${backends.prometheus}/api/v1/${path}?${params}`);
  return answer.data.result.map((r) => Number(r.value?.[1] ?? r.values?.at(-1)?.[1])).sort();
}

/** JSON has no NaN: a point of a quantile over no requests comes back as null. */
const numberOf = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

/** What a one-query Prometheus panel drew: each series' last point, each value, a table's last column. */
const drawnValues = (panel: DashJson['panels'][number]) =>
  (
    panel.values?.map((v) => numberOf(v.value)) ??
    panel.table?.rows.map((row) => numberOf(row.at(-1))) ??
    panel.series?.map((s) => numberOf(s.points.at(-1)?.[1])) ??
    []
  ).sort();

/** Panels without values, and Prometheus panels whose values differ from Prometheus' own. */
// Service detail shows one service: each of its panels has values for one of the demo's.
const framesOf = (name: string) =>
  name === 'service-detail'
    ? ['gateway', 'entity-service', 'load-generator'].map((s) =>
        dashJson(name, ['--var', `service=${s}`]),
      )
    : [dashJson(name)];

/** Panels without values in every frame, and Prometheus panels whose values differ from Prometheus' own. */
async function disagreements(name: string, frames: DashJson[]): Promise<string[]> {
  const titles = frames[0]?.panels.map((p) => p.title) ?? [];
  const found = titles
    .filter((title) =>
      frames.every((f) => f.panels.some((p) => p.title === title && (p.error || !hasValues(p)))),
    )
    .map((title) => `${title}: no values`);
  for (const frame of frames) found.push(...(await mismatches(name, frame)));
  return found;
}

async function mismatches(name: string, frame: DashJson): Promise<string[]> {
  const found: string[] = [];
  const prometheus = frame.panels.filter(
    (p) => p.datasource === 'prometheus' && p.queries.length === 1 && p.type !== 'heatmap',
  );
  for (const panel of prometheus) {
    const target = targetOf(name, panel.title);
    // A table frame in a stat is one value, its last row's.
    if (!target || (target.format === 'table' && panel.type === 'stat')) continue;
    const direct = await prometheusNow(
      panel.queries[0] as string,
      frame.range,
      Boolean(target.instant),
    );
    const drawn = drawnValues(panel);
    if (JSON.stringify(drawn) !== JSON.stringify(direct))
      found.push(`${panel.title}: ${drawn} ≠ ${direct}`);
  }
  return found;
}

for (const name of [
  'services-overview',
  'service-detail',
  'nodejs-runtime',
  'telemetry-pipeline',
  'alerts-slos',
]) {
  test(`obskit dash ${name} --once --json: every panel has values, the values Prometheus gives at that time`, async () => {
    // A rule evaluated just before the frame's time may land just after it was drawn: compare
    // frames until one agrees, and report the last disagreement.
    let differences: string[] = ['no frame compared'];
    await poll(
      'a frame that agrees with Prometheus',
      async () => {
        differences = await disagreements(name, framesOf(name));
        return differences.length === 0 ? true : undefined;
      },
      30_000,
    ).catch(() => undefined);
    assert.deepEqual(differences, []);
  });
}

test('obskit dash service-detail: traces are Jaeger’s, log lines Elasticsearch’s', async () => {
  const frame = dashJson('service-detail');
  const traces = frame.panels.filter((p) => p.traces).flatMap((p) => p.traces ?? []);
  assert.ok(traces.length >= 3);
  for (const trace of traces.slice(0, 3)) {
    const stored = await getJson<{ data: { traceID: string }[] }>(
      `${backends.jaeger}/api/traces/${trace.traceId}`,
    );
    assert.equal(stored.data[0]?.traceID, trace.traceId);
  }
  const logs = frame.panels.find((p) => p.title === 'Log lines');
  assert.equal(logs?.lines?.length, 100);
  assert.match(
    logs?.lines?.[0] ?? '',
    /^\S+Z +(info|warn|error) +(gateway|entity-service|load-generator): /,
  );
});

test('obskit dash alerts-slos --once --json: the error budget stat shows one value per SLO, named as Grafana names it', () => {
  const objectives = parse(
    readFileSync(join(repoRoot, 'collectors', 'prometheus', 'slo.yml'), 'utf8'),
  ) as {
    slos: { service: string; availability?: number; latency?: unknown }[];
  };
  const expected = objectives.slos
    .flatMap((slo) =>
      ['availability', 'latency'].filter((k) => k in slo).map((k) => `${slo.service} ${k}`),
    )
    .sort();
  const stat = dashJson('alerts-slos').panels.find((p) => p.title.startsWith('Error budget left'));
  assert.deepEqual(stat?.values?.map((v) => v.name).sort(), expected);
});

/** `obskit dash <args> --once` in a 200×70 terminal: every line it drew, history included. */
async function drawnInTmux(t: { after: (fn: () => void) => void }, args: string) {
  const session = `obskit-dash-once-${process.pid}-${args.split(' ')[0]}`;
  const command = `${process.execPath} ${join(repoRoot, 'dist', 'cli', 'main.js')} dash ${args} --once --range 5m; echo drawn; sleep 30`;
  assert.equal(
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '70', `env -u CI ${command}`)
      .status,
    0,
  );
  t.after(() => tmux('kill-session', '-t', session));
  const all = () => tmux('capture-pane', '-p', '-S', '-1000', '-t', session).stdout;
  return poll('the frame drawn', async () => (/^drawn$/m.test(all()) ? all() : undefined), 30_000);
}

/** Each chart line's plot (after its ┤) as a share of its box's width: charts fill their panel. */
function plotShares(screen: string): number[] {
  let edges: number[] = [];
  const shares: number[] = [];
  for (const line of [...screen.split('\n')].map((l) => [...l])) {
    if (line[0] === '╭') edges = line.flatMap((ch, i) => (ch === '╮' || ch === '╭' ? [i] : []));
    line.forEach((ch, i) => {
      if (ch !== '┤') return;
      const left = Math.max(...edges.filter((e) => e < i));
      const right = Math.min(...edges.filter((e) => e > i));
      shares.push((right - i - 1) / (right - left - 1));
    });
  }
  return shares;
}

/** Lines of boxes whose right edge is missing: a row of panels wider than the terminal. */
const brokenEdges = (screen: string) =>
  screen.split('\n').filter((line) => /^[│╭╰]/.test(line) && !/[│╮╯]$/.test(line.trimEnd()));

test('in a 200×70 terminal: service-detail fits, a heatmap in shades, charts with a time axis, legends as Grafana names them', async (t) => {
  const screen = await drawnInTmux(t, 'service-detail --var service=gateway');
  assert.ok(
    screen.split('\n').every((line) => line.length <= 200 && !line.includes('\ufffd')),
    screen,
  );
  assert.deepEqual(brokenEdges(screen), []);
  assert.match(screen, /┤ *[░▒▓█]+/, 'a heatmap row');
  // An annotation's ▲ may stand between two clock times.
  assert.match(screen.replaceAll('▲', ' '), /│ +\d\d:\d\d(:\d\d)? {2,}\d\d:\d\d/, 'a time axis');
  assert.match(screen, /● info {2}/, 'a terms legend');
  assert.doesNotMatch(screen, /\{log\.level=/);
  assert.ok(
    plotShares(screen).every((share) => share >= 0.75),
    `${plotShares(screen)}`,
  );
});

test('in a 200×70 terminal: services-overview draws the alert rules’ thresholds in its charts', async (t) => {
  const screen = await drawnInTmux(t, 'services');
  assert.deepEqual(brokenEdges(screen), []);
  assert.match(screen, /┄ threshold 1 s/, 'the latency alert’s threshold');
  assert.match(screen, /┄ threshold 5%/, 'the error alert’s threshold');
});

test('obskit dash without a name lists the dashboards; a bad name, variable or range is one line', () => {
  const list = runCli(['dash']);
  assert.equal(list.code, 0);
  const dashboards = readdirSync(join(repoRoot, 'dashboards', 'grafana', 'dashboards'));
  assert.equal(list.stdout.split('\n').filter(Boolean).length, dashboards.length);
  for (const [args, message] of [
    [
      ['dash', 'nope'],
      /^obskit: no dashboard 'nope'; choose from: alerts-slos, .*\[OBSKIT_E_USAGE\]\n$/,
    ],
    [
      ['dash', 'services', '--var', 'colour=red'],
      /^obskit: unknown variable 'colour'; the dashboards have: service, instance/,
    ],
    [
      ['dash', 'services', '--range', 'ever'],
      /^obskit: --range needs a duration such as 30s, 15m, 2h or 1d, not 'ever'/,
    ],
  ] as const) {
    const result = runCli([...args]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, message);
  }
});

test('obskit dash services --var service=gateway shows the gateway only', () => {
  const result = runCli(['dash', 'services', '--once', '--json', '--var', 'service=gateway']);
  const frame = JSON.parse(result.stdout) as DashJson;
  const names = frame.panels.flatMap((p) => p.series?.map((s) => s.name) ?? []);
  assert.ok(names.length > 0);
  assert.deepEqual(
    names.filter((n) => !n.startsWith('gateway')),
    [],
  );
});

const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

test('in a terminal: obskit dash services draws every panel with a chart, redraws on resize, q exits 0', async (t) => {
  const session = `obskit-dash-${process.pid}`;
  const exitDir = mkdtempSync(join(tmpdir(), 'obskit-dash-'));
  t.after(() => rmSync(exitDir, { recursive: true, force: true }));
  const exitFile = join(exitDir, 'exit-code');
  const command = `${process.execPath} ${join(repoRoot, 'dist', 'cli', 'main.js')} dash services --refresh 2s; echo $? > ${exitFile}; sleep 2`;
  // ink draws only a final frame where CI is set: a person's terminal has no CI variable.
  assert.equal(
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '60', `env -u CI ${command}`)
      .status,
    0,
  );
  t.after(() => tmux('kill-session', '-t', session));
  const titles = [
    'HTTP requests rate',
    'HTTP requests errors',
    'HTTP requests duration',
    'gRPC calls rate',
    'gRPC calls errors',
    'gRPC calls duration',
  ];
  const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
  const drawn = () =>
    poll(
      'every panel drawn',
      async () =>
        titles.every((title) => screen().includes(title)) && /[┼┤]/.test(screen())
          ? screen()
          : undefined,
      30_000,
    );
  await drawn();
  assert.equal(tmux('resize-window', '-t', session, '-x', '100', '-y', '50').status, 0);
  const resized = await drawn();
  assert.ok(
    resized.split('\n').every((line) => line.length <= 100),
    resized,
  );
  tmux('send-keys', '-t', session, 'q');
  const code = await poll(
    'the exit code',
    async () => {
      const written = spawnSync('cat', [exitFile], { encoding: 'utf8' }).stdout.trim();
      return written === '' ? undefined : written;
    },
    10_000,
  );
  assert.equal(code, '0');
});

test('obskit logs search --trace prints exactly the lines Elasticsearch holds for that trace', async () => {
  const [line] = JSON.parse(
    `[${runCli(['logs', 'search', '--service', 'gateway', '--since', '5m', '--limit', '1', '--json']).stdout.trim()}]`,
  );
  const traceId = line.trace.id as string;
  const stored = await getJson<{ hits: { hits: { _source: { message: string } }[] } }>(
    `${backends.elasticsearch}/${backends.logsIndex}/_search?q=trace.id:${traceId}&size=100`,
  );
  const result = runCli(['logs', 'search', '--trace', traceId]);
  assert.equal(result.code, 0, result.stderr);
  const printed = result.stdout.split('\n').filter(Boolean);
  assert.equal(printed.length, stored.hits.hits.length);
  for (const hit of stored.hits.hits)
    assert.ok(
      printed.some((p) => p.includes(hit._source.message)),
      hit._source.message,
    );
  assert.ok(printed.every((p) => p.endsWith(`trace.id=${traceId}`)));
});

test('obskit logs search --level error --since 5m after the error fault shows error lines only', () => {
  const result = runCli(['logs', 'search', '--level', 'error', '--since', '5m', '--json']);
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assert.ok(lines.length >= 10, `${lines.length} error lines`);
  assert.deepEqual([...new Set(lines.map((l) => l['log.level'] ?? l.log?.level))], ['error']);
});

test('obskit logs search --follow prints a line logged after it started', async (t) => {
  const service = uniqueId('follow');
  const cli = join(repoRoot, 'dist', 'cli', 'main.js');
  const follow = spawn(process.execPath, [cli, 'logs', 'search', '--follow', '--service', service]);
  t.after(() => follow.kill('SIGKILL'));
  let printed = '';
  follow.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  let said = '';
  follow.stderr.on('data', (chunk: Buffer) => {
    said += chunk.toString();
  });
  await poll('the follow to start', async () =>
    said.includes('following new lines') ? true : undefined,
  );
  const logged = spawnSync(
    process.execPath,
    ['-r', join(repoRoot, 'instrumentation'), join(fixtures, 'log-once.cjs')],
    {
      env: appEnv({
        OTEL_SERVICE_NAME: service,
        MESSAGE: `followed ${service}`,
        OBSKIT_LOG_TRANSPORTS: 'syslog',
        OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${portOf('rsyslog')}`,
      }),
    },
  );
  assert.equal(logged.status, 0);
  const loggedAt = Date.now();
  await poll(
    'the followed line',
    async () => (printed.includes(`followed ${service}`) ? true : undefined),
    15_000,
  );
  // Within 5 s of being logged, as the terminal user sees it.
  assert.ok(Date.now() - loggedAt < 5_000 + 1_000, `${Date.now() - loggedAt} ms`);
  const exited = new Promise((resolve) => follow.once('exit', resolve));
  follow.kill('SIGINT');
  assert.equal(await exited, 0);
});

test('Prometheus stopped: obskit dash --once shows the reason in each Prometheus panel and exits 1', async (t) => {
  assert.equal(runCli(['stack', 'down', '--only', 'prometheus']).code, 0);
  t.after(() => assert.equal(runCli(['stack', 'up', '--only', 'prometheus']).code, 0));
  const result = runCli(['dash', 'services', '--once', '--json']);
  assert.equal(result.code, 1);
  const frame = JSON.parse(result.stdout) as DashJson;
  assert.equal(frame.panels.length, 6);
  for (const panel of frame.panels) {
    assert.match(
      panel.error ?? '',
      /^http:\/\/127\.0\.0\.1:\d+ did not answer \(.*ECONNREFUSED.*\)$/,
      panel.title,
    );
  }
  const drawn = runCli(['dash', 'services', '--once']);
  assert.equal(drawn.code, 1);
  // Each box starts its reason the same way; it wraps within the box.
  assert.equal(drawn.stdout.match(/│error: http:\/\/127\.0\.0\.1:/g)?.length, 6);
});
