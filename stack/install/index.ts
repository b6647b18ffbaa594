// `obskit stack install`: every backend from package registries, each step independent.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { formatElapsed } from '../exec';
import { binDir } from '../paths';
import type { Backend, StackConfig } from '../types';
import { installPackages, NeedsRoot, packagesInstalled } from './debian';
import { buildFromModule, buildLocalMain } from './go';
import { goFor } from './go-toolchain';
import { buildPlugin, copyJars, ensureJavaAndMaven, unpackZip } from './maven';
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
    case 'maven-jars':
      return hasMarker(config, backend) && existsSync(join(config.home, source.libDir));
  }
}

async function installBackend(config: StackConfig, backend: Backend, log: Log): Promise<void> {
  const source = backend.source;
  switch (source.kind) {
    case 'debian':
      return installPackages(source.packages, log);
    case 'go-module': {
      const go = await goFor(config, log);
      await buildFromModule(config, go, source, backend.ldflags ?? '-s -w', log);
      return writeMarker(config, backend);
    }
    case 'go-main':
      await buildLocalMain(config, await goFor(config, log), source.dir, source.binary, log);
      return writeMarker(config, backend);
    case 'maven-zip': {
      const javaHome = await ensureJavaAndMaven(log);
      await unpackZip(config, source, log);
      for (const plugin of source.plugins ?? [])
        await buildPlugin(config, source, plugin, javaHome, log);
      return writeMarker(config, backend);
    }
    case 'maven-jars':
      await ensureJavaAndMaven(log);
      await copyJars(config, source, log);
      return writeMarker(config, backend);
  }
}

export async function installStack(
  config: StackConfig,
  chosen: Backend[],
  log: Log,
): Promise<void> {
  // What runs in this topology, as `up` starts: the cluster's own backends install with it.
  const selected = chosen.filter((backend) => backend.members.length > 0);
  const started = Date.now();
  const failed: string[] = [];
  // Debian packages that a user without root must install: all named at the end, in one line.
  const needsRoot = new Set<string>();
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
      if (error instanceof NeedsRoot) for (const name of error.packages) needsRoot.add(name);
      else failed.push(backend.name);
      log(describeFailure(backend, error));
    }
  }
  if (needsRoot.size > 0) throw needsRootError([...needsRoot], failed);
  if (failed.length > 0) throw obskitError('OBSKIT_E_INSTALL_FAILED', failed.join(', '));
  const elapsed = formatElapsed(Date.now() - started);
  log(
    installedCount === 0
      ? `nothing to do: all ${selected.length} backends already installed in ${config.home}`
      : `installed ${installedCount} backend(s) into ${config.home} in ${elapsed}`,
  );
}

const aptLine = (packages: string[]) => `sudo apt-get install -y ${packages.join(' ')}`;

/** The one line that tells a user without root what to install, and what else failed. */
function needsRootError(packages: string[], failed: string[]) {
  const rest =
    failed.length > 0
      ? `; install failed also for: ${failed.join(', ')}, as the lines above say`
      : '; the rest is installed';
  return obskitError('OBSKIT_E_NEEDS_ROOT', aptLine(packages), rest);
}

/** The go the Go builds use, for `obskit stack go`: errors as one catalogued line. */
export async function goForBuilds(config: StackConfig, log: Log): Promise<string> {
  try {
    return await goFor(config, log);
  } catch (error) {
    if (error instanceof NeedsRoot)
      throw obskitError('OBSKIT_E_NEEDS_ROOT', aptLine(error.packages), '');
    if (!(error instanceof StepFailure)) throw error;
    const what = `'${error.command}' failed: ${error.message}`;
    throw obskitError('OBSKIT_E_PREREQUISITE', what, error.fix);
  }
}

function describeFailure(backend: Backend, error: unknown): string {
  if (error instanceof NeedsRoot) return `✗ ${backend.name}: ${error.message}`;
  if (error instanceof StepFailure) {
    return `✗ ${backend.name}: '${error.command}' failed: ${error.message}\n  fix: ${error.fix}`;
  }
  return `✗ ${backend.name}: ${error instanceof Error ? error.message : String(error)}`;
}
