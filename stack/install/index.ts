// `obskit stack install`: every backend from package registries, each step independent.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { type Backend, binDir, type StackConfig } from '../config';
import { formatElapsed } from '../exec';
import { installPackages, packagesInstalled } from './debian';
import { buildFromModule, buildLocalMain, checkGo } from './go';
import { buildPlugin, ensureJava, ensureMaven, unpackZip } from './maven';
import { hasMarker, type Log, StepFailure, writeMarker } from './step';

/** Whether a backend's software is present at its pinned version. */
export async function isInstalled(config: StackConfig, backend: Backend): Promise<boolean> {
  const source = backend.source;
  switch (source.kind) {
    case 'debian':
      return packagesInstalled(source.packages);
    case 'go-module':
    case 'go-main':
      return hasMarker(config, backend) && existsSync(join(binDir(config), source.binary));
    case 'maven-zip':
      return hasMarker(config, backend) && existsSync(join(config.home, source.unpackedDir, 'bin'));
  }
}

async function installBackend(config: StackConfig, backend: Backend, log: Log): Promise<void> {
  const source = backend.source;
  switch (source.kind) {
    case 'debian':
      return installPackages(source.packages, log);
    case 'go-module':
      await checkGo();
      await buildFromModule(config, source, backend.ldflags ?? '-s -w', log);
      return writeMarker(config, backend);
    case 'go-main':
      await checkGo();
      await buildLocalMain(config, source.dir, source.binary, log);
      return writeMarker(config, backend);
    case 'maven-zip': {
      const javaHome = await ensureJava(log);
      await ensureMaven(log);
      await unpackZip(config, source, log);
      for (const plugin of source.plugins ?? [])
        await buildPlugin(config, source, plugin, javaHome, log);
      return writeMarker(config, backend);
    }
  }
}

export async function installStack(
  config: StackConfig,
  selected: Backend[],
  log: Log,
): Promise<void> {
  const started = Date.now();
  const failed: string[] = [];
  let installedCount = 0;
  for (const backend of selected) {
    if (await isInstalled(config, backend)) {
      log(`✓ ${backend.name} ${backend.version} already installed`);
      continue;
    }
    const stepStarted = Date.now();
    log(`→ ${backend.name} ${backend.version}: installing`);
    try {
      await installBackend(config, backend, log);
      installedCount++;
      log(
        `✓ ${backend.name} ${backend.version} installed (${formatElapsed(Date.now() - stepStarted)})`,
      );
    } catch (error) {
      failed.push(backend.name);
      log(describeFailure(backend, error));
    }
  }
  const elapsed = formatElapsed(Date.now() - started);
  if (failed.length > 0) throw obskitError('OBSKIT_E_INSTALL_FAILED', failed.join(', '));
  log(
    installedCount === 0
      ? `nothing to do: all ${selected.length} backends already installed in ${config.home}`
      : `installed ${installedCount} backend(s) into ${config.home} in ${elapsed}`,
  );
}

function describeFailure(backend: Backend, error: unknown): string {
  if (error instanceof StepFailure) {
    return `✗ ${backend.name}: '${error.command}' failed: ${error.message}\n  fix: ${error.fix}`;
  }
  return `✗ ${backend.name}: ${error instanceof Error ? error.message : String(error)}`;
}
