// Backends from Debian packages: apt-get, with sudo only when not already root.

import { run } from '../exec';
import type { DebianPackage } from '../manifest';
import { type Log, runStep, StepFailure } from './step';

const asRoot = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? [command, args] : ['sudo', ['-n', command, ...args]];

/** The installed version of a package, or undefined. */
export async function installedVersion(name: string): Promise<string | undefined> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} format
  const result = await run('dpkg-query', ['-W', '-f=${Status}|${Version}', name]);
  if (result.code !== 0) return undefined;
  const [status, version] = result.output.split('|');
  return status?.endsWith(' installed') ? version : undefined;
}

export async function packagesInstalled(packages: DebianPackage[]): Promise<boolean> {
  for (const pkg of packages) {
    const version = await installedVersion(pkg.name);
    if (!version?.startsWith(pkg.versionPrefix)) return false;
  }
  return true;
}

let listsUpdated = false;

export async function installPackages(packages: DebianPackage[], log: Log): Promise<void> {
  const names = packages.map((p) => p.name);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudoFix = 'run as root, or give this user passwordless sudo for apt-get';
  if (!listsUpdated) {
    log('  apt-get update');
    await runStep(...asRoot('apt-get', ['update', '-q']), `check apt sources; ${sudoFix}`, { env });
    listsUpdated = true;
  }
  log(`  apt-get install ${names.join(' ')}`);
  await runStep(
    ...asRoot('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names]),
    `check that Debian 12 (bookworm) sources are configured; ${sudoFix}`,
    { env, progress: { label: `installing ${names.join(' ')}`, log } },
  );
  for (const pkg of packages) {
    const version = await installedVersion(pkg.name);
    if (!version?.startsWith(pkg.versionPrefix)) {
      throw new StepFailure(
        `dpkg-query -W ${pkg.name}`,
        'obskit pins the versions of Debian 12 (bookworm); use a bookworm machine or compose/',
        `${pkg.name} ${version ?? '(missing)'} is installed, expected ${pkg.versionPrefix}x`,
      );
    }
  }
}
