// The shape of a backend and the list of them (backends/index.ts); what a backend is (its pinned
// version, ports, launch, probe and hooks) lives in backends/<name>.ts. compose/ uses the same
// versions and the same port numbers.

import { backendFiles } from './backends';
import type { Backend, StackConfig } from './config';
import type { LaunchContext, LaunchPlan, Probe } from './launch';

/** A Debian package, checked after install against the version prefix we test with. */
export interface DebianPackage {
  name: string;
  versionPrefix: string;
}

/** How a backend's software reaches the machine. */
export type Source =
  | { kind: 'debian'; packages: DebianPackage[] }
  | {
      kind: 'go-module';
      module: string;
      version: string;
      /** Package to build inside the downloaded module, whose go.mod (with replaces) applies. */
      package: string;
      binary: string;
    }
  | { kind: 'go-main'; dir: string; binary: string }
  | {
      kind: 'maven-zip';
      artifact: string;
      version: string;
      unpackedDir: string;
      /** Folders of Java plugins (sources and descriptor) built against it and put in plugins/. */
      plugins?: string[];
    };

export interface Port {
  name: string;
  port: number;
  protocol: 'tcp' | 'tcp+udp';
}

/** Everything obskit knows of one backend; each lives in backends/<name>.ts. */
export interface BackendSpec {
  name: string;
  /** Host name of the backend inside compose; the local stack maps it to 127.0.0.1. */
  host: string;
  version: string;
  source: Source;
  ports: Port[];
  /** Linker flags of a Go build, when the default ones don't do. */
  ldflags?: string;
  /** Its own variables (beyond its ports), resolved once into the stack's config; may throw. */
  settings?(env: NodeJS.ProcessEnv): Record<string, string>;
  /** Backends whose `ready` hook must have run before this one starts (when both start). */
  startsAfter?: readonly string[];
  /** Where the backend answers and whether it is healthy. */
  probe(backend: Backend): Probe;
  /** How `stack up` starts it. */
  launch(context: LaunchContext): LaunchPlan;
  /** Runs at every `stack up` once the backend is healthy. */
  ready?(config: StackConfig, backend: Backend, log: (line: string) => void): Promise<void>;
}

export const backends: readonly BackendSpec[] = backendFiles;

/** The JDK Elasticsearch runs on, from Debian when the machine has none. */
export const jdk = { debianPackage: 'openjdk-17-jdk-headless', minimumMajor: 17 };

/** Oldest Go toolchain that builds every Go backend (the collector's modules need 1.26). */
export const minimumGo = '1.26';

/** The toolchain fetched as the module golang.org/toolchain when the go on PATH is older. */
export const fetchedGo = '1.26.8';
