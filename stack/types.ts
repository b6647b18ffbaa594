// The shapes the stack shares: a backend as its file declares it and as the environment
// resolves it, the resolved stack, and what a launch receives and returns. It imports nothing
// of the stack, so every part of it (backends included) may import it.

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
    }
  | {
      /** Jars with their runtime dependencies, copied by Maven into `libDir` (run with java -cp). */
      kind: 'maven-jars';
      /** group:artifact:version of each. */
      artifacts: string[];
      version: string;
      libDir: string;
    };

export interface Port {
  name: string;
  port: number;
  protocol: 'tcp' | 'tcp+udp';
}

/** OBSKIT_TOPOLOGY: one process per backend, or its members for a backend that declares them. */
export type Topology = 'single' | 'cluster';

/** How a backend runs in the cluster topology: as `members` processes, each supervised alone. */
export interface ClusterSpec {
  members: number;
  /** Member `index`'s default ports (from 1: member 0 keeps the backend's own `ports`). */
  ports(index: number): Port[];
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
  /** Its members in the cluster topology; without it, one process in every topology. */
  cluster?: ClusterSpec;
  /** The topologies it runs in; without it, every one. Elsewhere it has no member: nothing starts. */
  topologies?: readonly Topology[];
  /** Where the backend (or one of its members) answers and whether it is healthy. */
  probe(backend: Backend, member: Member): Probe;
  /** What a member is in its cluster (etcd: leader or follower); undefined when it cannot say. */
  role?(member: Member): Promise<string | undefined>;
  /** Its cluster's health as a member sees it (Elasticsearch: green, yellow, red), for `status`. */
  clusterHealth?(member: Member): Promise<string | undefined>;
  /** How `stack up` starts it. */
  launch(context: LaunchContext): LaunchPlan;
  /** Runs at every `stack up` once the backend is healthy. */
  ready?(config: StackConfig, backend: Backend, log: (line: string) => void): Promise<void>;
}

export interface ResolvedPort {
  name: string;
  defaultPort: number;
  port: number;
  protocol: 'tcp' | 'tcp+udp';
  /** The variable that overrides this port. */
  env: string;
}

/** One process of a backend: the backend itself, or in the cluster topology one of its members. */
export interface Member {
  /** Its process and run directory name: the backend's name, or `<backend>-<n>` from 1. */
  name: string;
  resolvedPorts: ResolvedPort[];
}

export interface Backend extends BackendSpec {
  /** Its own ports, which its first member keeps. */
  resolvedPorts: ResolvedPort[];
  /** The processes it runs as: itself alone, its members in the cluster topology, none in a topology it is not in. */
  members: Member[];
  /** What the backend's own variables say, from its `settings` hook. */
  resolvedSettings: Readonly<Record<string, string>>;
}

export interface StackConfig {
  /** Installed software: binaries, the Elasticsearch distribution, Go and Maven caches. */
  home: string;
  /** Data, logs, pid files and rendered configs of running backends. */
  runDir: string;
  /** The repository (or installed package) holding collectors/ and stack/. */
  packageRoot: string;
  /** OBSKIT_TOPOLOGY (or --topology): single, the default, or cluster. */
  topology: Topology;
  backends: Backend[];
  /** OBSKIT_LOG_RETENTION_DAYS: days of daily log (and trace) indices kept before today's. */
  retentionDays: number;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A backend that refuses to run as root runs as this user. */
  user?: string;
  /** Directories the backend writes to, handed to `user` when there is one. */
  writableDirs: string[];
}

export interface Probe {
  url: string;
  healthy: () => Promise<boolean>;
}

/** What a backend's launch receives: the resolved stack, itself, and where it runs and writes. */
export interface LaunchContext {
  config: StackConfig;
  backend: Backend;
  /** The process being launched: one of `backend.members`. */
  member: Member;
  /** The member's run directory. */
  dir: string;
  /** Its data directory, created. */
  data: string;
  /** Where installed binaries live. */
  bin: string;
  /** The JDK of a backend installed from Maven. */
  javaHome: string | undefined;
}
