// The go that every Go build runs: the one on PATH when it is new enough, else the pinned
// toolchain fetched as the module golang.org/toolchain by that older go itself, as the go command
// does when it switches toolchains, so that GOPROXY, GOSUMDB and the checksum database apply.

import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type CommandResult, lastLines, run } from '../exec';
import { fetchedGo, minimumGo } from '../manifest';
import type { StackConfig } from '../types';
import { installPackages } from './debian';
import { type Log, runStep, StepFailure } from './step';

export const goFix = `install Go ${minimumGo} or newer and put 'go' on PATH`;

/** Negative, zero or positive as dotted version `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `1.19.8` from `go1.19.8`, `go1.26rc1` or `go version go1.19.8 linux/amd64`. */
export function parseGoVersion(output: string): string | undefined {
  return /\bgo(\d+(?:\.\d+)*)/.exec(output)?.[1];
}

export type GoDecision = 'path' | 'cached' | 'fetch' | 'install-and-fetch';

/** Which go to build with, from the version of the go on PATH (if any) and the cache. */
export function decideGo(pathVersion: string | undefined, cached: boolean): GoDecision {
  if (pathVersion !== undefined && compareVersions(pathVersion, minimumGo) >= 0) return 'path';
  if (cached) return 'cached';
  return pathVersion === undefined ? 'install-and-fetch' : 'fetch';
}

/** The toolchain module of `version` for this machine, as the go command names it. */
export function toolchainModule(version: string, arch: string = process.arch): string {
  const goArch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[arch];
  if (!goArch) throw new StepFailure('go toolchain', goFix, `no Go toolchain module for ${arch}`);
  return `golang.org/toolchain@v0.0.1-go${version}.linux-${goArch}`;
}

export const toolchainDir = (config: StackConfig) => join(config.home, 'go', `go${fetchedGo}`);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** The version a go binary reports, or undefined when it does not run. */
async function versionOf(go: string): Promise<string | undefined> {
  const env = { ...process.env, GOTOOLCHAIN: 'local' };
  const result = await run(go, ['env', 'GOVERSION'], { env });
  if (result.code !== 0) return undefined;
  // go env GOVERSION is empty before Go 1.16.
  return (
    parseGoVersion(result.output) ?? parseGoVersion((await run(go, ['version'], { env })).output)
  );
}

const memo = new Map<string, Promise<string>>();

/** The absolute path of the go to build with, resolved once per cache. */
export function goFor(config: StackConfig, log: Log): Promise<string> {
  let resolved = memo.get(config.home);
  if (!resolved) {
    resolved = resolveGo(config, log);
    memo.set(config.home, resolved);
  }
  return resolved;
}

/** As goFor, every time: a cached toolchain is reused without asking the proxy. */
export async function resolveGo(config: StackConfig, log: Log): Promise<string> {
  const pathGo = onPath('go');
  const pathVersion = pathGo ? await versionOf(pathGo) : undefined;
  const fetched = join(toolchainDir(config), 'bin', 'go');
  const needsCache = decideGo(pathVersion, false) !== 'path';
  const cached = needsCache && (await versionOf(fetched)) === fetchedGo;
  const decision = decideGo(pathVersion, cached);
  if (decision === 'path' && pathGo) return pathGo;
  // Debian's go first when there is none: it can fetch the module, and nothing was said yet.
  const oldGo = decision === 'install-and-fetch' ? await installDebianGo(log) : pathGo;
  const found = pathVersion
    ? `go ${pathVersion} on PATH is older than ${minimumGo}`
    : 'no go on PATH';
  log(`  ${found}: using go${fetchedGo} fetched as a module into ${toolchainDir(config)}`);
  if (decision !== 'cached') await fetchToolchain(config, oldGo ?? 'go', log);
  return fetched;
}

/** Debian's go (1.19 on bookworm): old, but it can fetch the toolchain module. */
async function installDebianGo(log: Log): Promise<string> {
  await installPackages([{ name: 'golang-go', versionPrefix: '' }], log);
  const go = onPath('go') ?? ['/usr/bin/go', '/usr/lib/go/bin/go'].find((f) => existsSync(f));
  if (!go) throw new StepFailure('apt-get install golang-go', goFix, 'no go after the install');
  return go;
}

/** Downloads the toolchain module with `via` and puts a runnable copy in toolchainDir. */
async function fetchToolchain(config: StackConfig, via: string, log: Log): Promise<void> {
  const ref = toolchainModule(fetchedGo);
  log(`  ${via} mod download ${ref}`);
  // Outside any module, so that no go.mod near the working directory is read or changed.
  const download = await run(via, ['mod', 'download', '-json', ref], {
    cwd: tmpdir(),
    env: { ...process.env, GOTOOLCHAIN: 'local' },
    progress: { label: `downloading ${ref}`, log },
  });
  const moduleDir = moduleDirOf(download, `${via} mod download -json ${ref}`);
  const target = toolchainDir(config);
  // Copied beside the target, then renamed: an interrupted copy is never taken for a toolchain.
  const partial = `${target}.partial`;
  await removeTree(partial);
  cpSync(moduleDir, partial, { recursive: true });
  await makeRunnable(partial, config);
  await removeTree(target);
  renameSync(partial, target);
  const version = await versionOf(join(target, 'bin', 'go'));
  if (version !== fetchedGo) {
    await removeTree(target);
    const detail = `${target}/bin/go reports ${version ?? 'nothing'}`;
    throw new StepFailure(`${target}/bin/go env GOVERSION`, goFix, detail);
  }
}

/** The unpacked module's folder from go mod download's JSON answer, or its Error as a failure. */
function moduleDirOf(download: CommandResult, command: string): string {
  let answer: { Dir?: string; Error?: string } = {};
  try {
    const { output } = download;
    answer = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1));
  } catch {
    // Not JSON: the output's last lines are reported below.
  }
  if (download.code === 0 && answer.Dir && existsSync(join(answer.Dir, 'bin', 'go')))
    return answer.Dir;
  const fix = `check that the Go module proxy is reachable (go env GOPROXY GOSUMDB), or ${goFix}`;
  throw new StepFailure(command, fix, answer.Error ?? lastLines(download.output));
}

/** Module zips carry no file modes: as the go command does, bin/ and pkg/tool/ become executable. */
async function makeRunnable(dir: string, config: StackConfig): Promise<void> {
  // The module cache's copy is read-only, which would stop a later removal.
  await runStep('chmod', ['-R', 'u+w', dir], `check permissions of ${config.home}`);
  const tools = join(dir, 'pkg', 'tool');
  const folders = [join(dir, 'bin'), ...readdirSync(tools).map((d) => join(tools, d))];
  for (const folder of folders.filter((f) => statSync(f).isDirectory())) {
    for (const name of readdirSync(folder)) {
      const file = join(folder, name);
      if (statSync(file).isFile()) chmodSync(file, statSync(file).mode | 0o111);
    }
  }
}

async function removeTree(path: string): Promise<void> {
  if (!existsSync(path)) return;
  await run('chmod', ['-R', 'u+w', path]);
  rmSync(path, { recursive: true, force: true });
}
