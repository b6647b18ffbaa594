// Backends built from Go modules: Jaeger inside its own module, FerretDB and the OpenTelemetry
// Collector (the local Fluentd stand-in) from our small mains in stack/.

import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { binDir } from '../paths';
import type { StackConfig } from '../types';
import { goFix } from './go-toolchain';
import { type Log, runStep } from './step';

const goEnv = () => ({ ...process.env, GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' });

/** Downloads a module through the module proxy and builds one of its packages in place. */
export async function buildFromModule(
  config: StackConfig,
  go: string,
  spec: { module: string; version: string; package: string; binary: string },
  ldflags: string,
  log: Log,
): Promise<void> {
  const ref = `${spec.module}@${spec.version}`;
  log(`  go mod download ${ref}`);
  const download = await runStep(
    go,
    ['mod', 'download', '-json', ref],
    `check that the Go module proxy is reachable (GOPROXY)`,
    {
      env: goEnv(),
      progress: { label: `downloading ${ref}`, log },
    },
  );
  const moduleDir = (JSON.parse(download.output) as { Dir: string }).Dir;
  // The module cache is read-only; building in a copy lets go.mod's replace directives apply.
  const buildDir = join(config.home, 'build', `${spec.binary}-${spec.version}`);
  rmSync(buildDir, { recursive: true, force: true });
  cpSync(moduleDir, buildDir, { recursive: true });
  // The copy keeps the cache's read-only modes, which would stop the cleanup below.
  await runStep('chmod', ['-R', 'u+w', buildDir], `check permissions of ${config.home}`);
  await goBuild(config, go, buildDir, spec.package, spec.binary, ldflags, log);
  rmSync(buildDir, { recursive: true, force: true });
}

/** Builds a main package that lives in this repository. */
export async function buildLocalMain(
  config: StackConfig,
  go: string,
  dir: string,
  binary: string,
  log: Log,
) {
  await goBuild(config, go, join(config.packageRoot, dir), '.', binary, '-s -w', log);
}

async function goBuild(
  config: StackConfig,
  go: string,
  cwd: string,
  pkg: string,
  binary: string,
  ldflags: string,
  log: Log,
) {
  mkdirSync(binDir(config), { recursive: true });
  const output = join(binDir(config), binary);
  log(`  go build -o ${output} ${pkg}`);
  const fix = `check that the Go module proxy is reachable (go env GOPROXY); ${goFix}`;
  await runStep(go, ['build', '-trimpath', '-ldflags', ldflags, '-o', output, pkg], fix, {
    cwd,
    env: goEnv(),
    progress: { label: `building ${binary}`, log },
  });
}
