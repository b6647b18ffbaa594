// compose/docker-compose.yml (alone, or merged with compose/cluster.yml, the cluster topology)
// as the Compose Specification's loader resolves it: compose-check
// (stack/compose-check, compose-go) as `make compose-check` builds it into the obskit cache,
// built here once when it is absent. Shared by the tests of test/compose. The example's
// secrets are empty, so the project is loaded with a complete env file made from it.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { localStackConfig } from '../../stack/local-stack';
import { binDir } from '../../stack/paths';

const config = localStackConfig();
export const repoRoot = config.packageRoot;
export const repoPath = (...parts: string[]) => join(repoRoot, ...parts);
export const composeFile = repoPath('compose', 'docker-compose.yml');
export const envExample = repoPath('compose', '.env.example');
export const clusterFile = repoPath('compose', 'cluster.yml');

/** The files of each topology, in the order `docker compose -f … -f …` merges them. */
export const topologyFiles = {
  single: [composeFile],
  cluster: [composeFile, clusterFile],
} as const satisfies Record<string, readonly string[]>;
type Files = (typeof topologyFiles)[keyof typeof topologyFiles];

export interface BindOrVolume {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string;
  target: string;
  read_only?: boolean;
}

export interface PublishedPort {
  host_ip?: string;
  target: number;
  published?: string;
  protocol?: string;
}

export interface ComposeService {
  image?: string;
  user?: string;
  security_opt?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  read_only?: boolean;
  tmpfs?: string[];
  build?: { context: string; dockerfile?: string };
  command?: string[] | null;
  working_dir?: string;
  environment?: Record<string, string | null>;
  volumes?: BindOrVolume[];
  ports?: PublishedPort[];
  expose?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
  networks?: Record<string, { aliases?: string[] } | null>;
  restart?: string;
}

export interface ComposeProject {
  name: string;
  services: Record<string, ComposeService>;
}

export interface CheckResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The checker's path, as the Makefile's COMPOSE_CHECK. */
export function composeCheckBinary(): string {
  const binary = join(binDir(config), 'compose-check');
  if (!existsSync(binary)) buildComposeCheck(binary);
  return binary;
}

/** As `make compose-check` builds it; into a temporary name first, for tests running at once. */
function buildComposeCheck(binary: string): void {
  mkdirSync(dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}`;
  const build = spawnSync('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', partial, '.'], {
    cwd: repoPath('stack', 'compose-check'),
    env: { ...process.env, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building compose-check failed: ${build.stderr}`);
  renameSync(partial, binary);
}

/**
 * Runs the loader on the compose file with `envFile` and a bare process environment (only
 * PATH), so that nothing from the test's own environment fills a variable.
 */
export function runComposeCheck(envFile: string, ...args: string[]): CheckResult {
  return runComposeFiles(topologyFiles.single, envFile, ...args);
}

/** As runComposeCheck, on `files` merged in order. */
export function runComposeFiles(files: Files, envFile: string, ...args: string[]): CheckResult {
  const result = spawnSync(
    composeCheckBinary(),
    [...files.flatMap((file) => ['-f', file]), '--env-file', envFile, ...args],
    { env: { PATH: process.env.PATH }, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const loaded = new Map<string, ComposeProject>();

/** A value for `name` that the setup's secret rules accept and that names the variable. */
export const secretFor = (name: string) => `from-env-${name}-0123456789abcdef0123456789abcdef`;

/** .env.example with every required variable set to `value(name)`: a user's compose/.env. */
export function completeEnvText(value = secretFor): string {
  const required = new Set(requiredVariables());
  return readFileSync(envExample, 'utf8')
    .split('\n')
    .map((line) => {
      const name = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
      return name && required.has(name) ? `${name}=${value(name)}` : line;
    })
    .join('\n');
}

let completeFile: string | undefined;

/** completeEnvText() in a scratch file, written once per process. */
export function completeEnvFile(): string {
  if (completeFile) return completeFile;
  const dir = mkdtempSync(join(tmpdir(), 'obskit-compose-env-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'complete.env');
  writeFileSync(file, completeEnvText());
  completeFile = file;
  return file;
}

/**
 * The resolved project (bind sources absolute) with `envFile`, a complete .env by default, of
 * the single topology's file or of `files` merged.
 */
export function composeProject(
  envFile = completeEnvFile(),
  files: Files = topologyFiles.single,
): ComposeProject {
  const key = [envFile, ...files].join('\n');
  const cached = loaded.get(key);
  if (cached) return cached;
  const result = runComposeFiles(files, envFile, '--json');
  if (result.status !== 0) throw new Error(`the loader refused the compose file: ${result.stderr}`);
  const project = JSON.parse(result.stdout) as ComposeProject;
  loaded.set(key, project);
  return project;
}

/**
 * The images only the cluster topology runs (compose image → the local backend it is): those of
 * the local stack's cluster-only backends. cluster.test.ts allows cluster.yml these and no other
 * new image; images.test.ts holds each to its tag scheme and the local version.
 */
export const clusterOnlyImages: Record<string, string> = { 'apache/kafka': 'kafka' };

/** The cluster topology: docker-compose.yml merged with cluster.yml, every secret set. */
export const clusterProject = () => composeProject(completeEnvFile(), topologyFiles.cluster);

export function service(name: string, project = composeProject()): ComposeService {
  const found = project.services[name];
  if (!found) throw new Error(`no compose service ${name}`);
  return found;
}

/** The variables of an env file that have a value: `NAME=value` lines, comments aside. */
export function envFileVariables(file: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) variables.set(match[1] as string, match[2] as string);
  }
  return variables;
}

/** The variables a compose file (the single topology's by default) requires: every `${NAME:?…}`. */
export function requiredVariables(file = composeFile): string[] {
  const text = readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1] as string))];
}

/** The names a service answers to on the compose network: its own and its aliases. */
export function hostNames(project = composeProject()): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, s] of Object.entries(project.services)) {
    names.set(name, name);
    for (const network of Object.values(s.networks ?? {}))
      for (const alias of network?.aliases ?? []) names.set(alias, name);
  }
  return names;
}

/**
 * Asserts nothing; returns why `host:port` is not something compose serves, or undefined when a
 * service of that name (or alias) declares the port in `expose` or publishes it.
 */
export function whyNotServed(
  host: string,
  port: number,
  project = composeProject(),
): string | undefined {
  const name = hostNames(project).get(host);
  if (!name) return `${host} is not a compose service`;
  const s = service(name, project);
  const ports = [...(s.expose ?? []).map(Number), ...(s.ports ?? []).map((p) => p.target)];
  return ports.includes(port)
    ? undefined
    : `${name} does not expose ${port} (it has ${ports.join(', ')})`;
}
