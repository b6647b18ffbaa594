// Elasticsearch's minimal distribution from Maven Central, unpacked by Maven itself, and the
// plugins obskit builds against it.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { jdk } from '../manifest';
import type { StackConfig } from '../types';
import { installPackages } from './debian';
import { type Log, runStep, StepFailure } from './step';

const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

export const mavenRepo = (config: StackConfig) => join(config.home, 'm2');

export async function unpackZip(
  config: StackConfig,
  spec: { artifact: string; version: string; unpackedDir: string },
  log: Log,
): Promise<void> {
  const target = join(config.home, spec.unpackedDir);
  rmSync(target, { recursive: true, force: true });
  const coordinates = `${spec.artifact}:${spec.version}:zip`;
  // Without a pom, the plugin writes its markers under a literal `${project.basedir}/target`
  // relative to the working directory (markersDirectory has no command-line property), so
  // Maven runs in a scratch directory that is removed afterwards.
  const scratch = join(config.home, 'build', `maven-${spec.version}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`  mvn dependency:unpack ${coordinates}`);
  try {
    await runStep(
      'mvn',
      [
        '-B',
        '-q',
        `${dependencyPlugin}:unpack`,
        `-Dartifact=${coordinates}`,
        `-DoutputDirectory=${config.home}`,
        `-Dmaven.repo.local=${mavenRepo(config)}`,
      ],
      "install Maven ('apt-get install maven') and check that Maven Central is reachable",
      { cwd: scratch, progress: { label: `downloading ${coordinates}`, log } },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(join(target, 'bin'))) {
    throw new StepFailure(
      'mvn dependency:unpack',
      'remove the cache and retry',
      `${target}/bin missing`,
    );
  }
}

/** A pom naming only `artifacts` (group:artifact:version), for Maven to resolve. */
export function jarsPom(artifacts: string[]): string {
  const dependencies = artifacts.map((coordinates) => {
    const [group, artifact, version] = coordinates.split(':');
    return `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  });
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>',
    '<groupId>obskit</groupId><artifactId>jars</artifactId><version>1</version>',
    `<dependencies>${dependencies.join('')}</dependencies></project>`,
  ].join('\n');
}

/** Jars and their runtime dependencies into `<home>/<libDir>`, resolved by Maven from a pom of their own. */
export async function copyJars(
  config: StackConfig,
  spec: { artifacts: string[]; version: string; libDir: string },
  log: Log,
): Promise<void> {
  const target = join(config.home, spec.libDir);
  rmSync(target, { recursive: true, force: true });
  // copy-dependencies needs a project: a scratch one, removed afterwards.
  const scratch = join(config.home, 'build', `jars-${spec.version}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'pom.xml'), jarsPom(spec.artifacts));
  log(`  mvn dependency:copy-dependencies ${spec.artifacts.join(' ')}`);
  try {
    await runStep(
      'mvn',
      [
        '-B',
        '-q',
        `${dependencyPlugin}:copy-dependencies`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${target}`,
        `-Dmaven.repo.local=${mavenRepo(config)}`,
      ],
      "install Maven ('apt-get install maven') and check that Maven Central is reachable",
      { cwd: scratch, progress: { label: `downloading ${spec.artifacts[0]}`, log } },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Compiles a plugin folder's Java sources against the unpacked distribution's jars and puts the
 * jar and its descriptor (with the distribution's version) in `<distribution>/plugins/<name>/`.
 */
export async function buildPlugin(
  config: StackConfig,
  spec: { version: string; unpackedDir: string },
  pluginDir: string,
  javaHome: string,
  log: Log,
): Promise<void> {
  const source = join(config.packageRoot, pluginDir);
  const descriptor = readFileSync(join(source, 'plugin-descriptor.properties'), 'utf8');
  const name = /^name=(.+)$/m.exec(descriptor)?.[1]?.trim() ?? pluginDir;
  const home = join(config.home, spec.unpackedDir);
  const classes = join(config.home, 'build', `plugin-${name}`);
  const target = join(home, 'plugins', name);
  rmSync(classes, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const sources = readdirSync(source).filter((f) => f.endsWith('.java'));
  const fix = `check that ${javaHome}/bin/javac exists (a JDK, not a JRE) and ${source} compiles`;
  log(`  javac ${pluginDir} against ${spec.unpackedDir}/lib`);
  try {
    await runStep(
      join(javaHome, 'bin', 'javac'),
      ['--release', String(jdk.minimumMajor), '-d', classes, '-cp', join(home, 'lib', '*')].concat(
        sources.map((f) => join(source, f)),
      ),
      fix,
    );
    await runStep(
      join(javaHome, 'bin', 'jar'),
      ['cf', join(target, `${name}.jar`), '-C', classes, '.'],
      fix,
    );
  } finally {
    rmSync(classes, { recursive: true, force: true });
  }
  const versions = `version=${spec.version}\nelasticsearch.version=${spec.version}\n`;
  writeFileSync(join(target, 'plugin-descriptor.properties'), descriptor + versions);
}

/** JAVA_HOME of the `java` on PATH when it is a new enough JDK (with javac), else undefined. */
export async function findJavaHome(): Promise<string | undefined> {
  const result = await run('java', ['-XshowSettings:properties', '-version']);
  const major = /java\.specification\.version = (\d+)/.exec(result.output)?.[1];
  const home = /java\.home = (.+)/.exec(result.output)?.[1]?.trim();
  if (result.code !== 0 || !major || Number(major) < jdk.minimumMajor || !home) return undefined;
  // The plugins are compiled at install: a JRE alone does not do.
  return existsSync(join(home, 'bin', 'javac')) ? home : undefined;
}

/**
 * Installs Debian's JDK 17 and Maven, those of them missing, in one go (so that a user without
 * root is told both at once); returns JAVA_HOME.
 */
export async function ensureJavaAndMaven(log: Log): Promise<string> {
  const found = await findJavaHome();
  const hasMaven = (await run('mvn', ['-v'])).code === 0;
  const missing = [...(found ? [] : [jdk.debianPackage]), ...(hasMaven ? [] : ['maven'])];
  await installPackages(
    missing.map((name) => ({ name, versionPrefix: '' })),
    log,
  );
  const installed = found ?? (await findJavaHome());
  if (!installed) {
    throw new StepFailure(
      'java -version',
      `install JDK ${jdk.minimumMajor}+ and put 'java' on PATH`,
      'no JDK found',
    );
  }
  return installed;
}
