// Backends from Debian packages: apt-get, with sudo only when not already root; without either,
// the missing packages are reported for the user to install, and nothing prompts.

import { run } from '../exec';
import type { DebianPackage } from '../types';
import { type Log, runStep, StepFailure } from './step';

const isRoot = () => process.getuid?.() === 0;

const asRoot = (command: string, args: string[]): [string, string[]] =>
  isRoot() ? [command, args] : ['sudo', ['-n', command, ...args]];

/** Debian packages that are missing while obskit can be root neither itself nor through sudo. */
export class NeedsRoot extends Error {
  constructor(readonly packages: string[]) {
    super(`needs root to install ${packages.join(' ')}: not root, and no passwordless sudo`);
  }
}

let rootAccess: Promise<boolean> | undefined;

/** Root, or passwordless sudo; `-n` never prompts, and a missing sudo counts as none. */
export function canBeRoot(): Promise<boolean> {
  rootAccess ??= isRoot()
    ? Promise.resolve(true)
    : run('sudo', ['-n', 'true']).then((r) => r.code === 0);
  return rootAccess;
}

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

/** The packages not installed at their pinned version. */
async function missingOf(packages: DebianPackage[]): Promise<DebianPackage[]> {
  const missing: DebianPackage[] = [];
  for (const pkg of packages) if (!(await packagesInstalled([pkg]))) missing.push(pkg);
  return missing;
}

/** Installs those of `packages` that are missing; throws NeedsRoot when it cannot be root. */
export async function installPackages(packages: DebianPackage[], log: Log): Promise<void> {
  const missing = await missingOf(packages);
  const names = missing.map((p) => p.name);
  if (names.length === 0) return;
  if (!(await canBeRoot())) throw new NeedsRoot(names);
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
  for (const pkg of missing) {
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
