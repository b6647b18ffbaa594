// Apache Kafka 4 in KRaft mode, in the cluster topology only: one node that is broker and
// controller (process.roles=broker,controller), between Jaeger's collector and its ingester.
// Its jars come from Maven Central with their dependencies; it runs as `java -cp` on the
// installed JDK, its storage formatted once under the run directory. Once healthy, at every
// `stack up`: the topic jaeger-spans (retention: collectors/kafka/server.properties).

import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { obskitError } from '../../common/errors';
import { lastLines, run } from '../exec';
import { tcpOk } from '../health';
import { portOf } from '../ports';
import { renderCollector } from '../render';
import type {
  Backend,
  BackendSpec,
  LaunchContext,
  LaunchPlan,
  Member,
  StackConfig,
} from '../types';
import { answersApiVersions } from './kafka-wire';

const name = 'kafka';
const version = '4.1.1';
const libDir = `kafka-${version}/libs`;

/** The topic between Jaeger's collector and its ingester (both name it in collectors/jaeger). */
export const spansTopic = 'jaeger-spans';

/** 256 MB of heap: the node holds one topic of one partition; measured RSS 380 to 430 MB. */
export const kafkaHeap = ['-Xms256m', '-Xmx256m'];

/** The KRaft cluster's id, fixed so that a node formatted once keeps matching it. */
const clusterId = 'b2Jza2l0LWthZmthLTAxAA';

const classpath = (config: StackConfig) => join(config.home, libDir, '*');

/** `java -cp <jars> <main> <args>` on the JDK the stack found (java on PATH otherwise). */
const javaArgs = (config: StackConfig, main: string, args: string[]) => [
  '-cp',
  classpath(config),
  main,
  ...args,
];

/** The rendered server.properties with this node's data directory; formats the storage once. */
function preparedProperties(context: LaunchContext, java: string): string {
  const conf = renderCollector(context, name);
  const properties = join(conf, 'server.properties');
  appendFileSync(properties, `\n# the local stack's data directory\nlog.dirs=${context.data}\n`);
  // KRaft refuses to start on unformatted storage; formatting again would need the same id.
  if (!existsSync(join(context.data, 'meta.properties'))) {
    const main = 'kafka.tools.StorageTool';
    const args = ['format', '--ignore-formatted', '-t', clusterId, '-c', properties];
    execFileSync(java, javaArgs(context.config, main, args), { stdio: 'pipe' });
  }
  return properties;
}

function launch(context: LaunchContext): LaunchPlan {
  const java = context.javaHome ? join(context.javaHome, 'bin', 'java') : 'java';
  const properties = preparedProperties(context, java);
  const log4j = join(context.dir, 'config', 'log4j2.properties');
  return {
    command: java,
    args: [
      ...kafkaHeap,
      `-Dlog4j2.configurationFile=${log4j}`,
      ...javaArgs(context.config, 'kafka.Kafka', [properties]),
    ],
    env: { ...process.env },
    writableDirs: [context.dir],
  };
}

/** Both roles of the one node, when both of its listeners answer. */
export async function kafkaRole(member: Member): Promise<string | undefined> {
  const [broker, controller] = await Promise.all([
    answersApiVersions(portOf(member, 'broker')),
    tcpOk(portOf(member, 'controller')),
  ]);
  if (broker && controller) return 'controller+broker';
  return controller ? 'controller' : undefined;
}

/**
 * The topic command's arguments that create the spans' topic when it is missing (one partition:
 * one ingester reads it); compose's kafka-setup one-shot passes the same.
 */
export const createTopicArgs = (bootstrap: string) => [
  ...['--bootstrap-server', bootstrap],
  ...['--create', '--if-not-exists', '--topic', spansTopic],
  ...['--partitions', '1', '--replication-factor', '1'],
];

/** Creates the spans' topic when it is missing. */
async function createTopic(config: StackConfig, backend: Backend, log: (line: string) => void) {
  const args = createTopicArgs(`127.0.0.1:${portOf(backend, 'broker')}`);
  const result = await run('java', javaArgs(config, 'org.apache.kafka.tools.TopicCommand', args));
  if (result.code !== 0)
    throw obskitError(
      'OBSKIT_E_PREREQUISITE',
      `kafka topic ${spansTopic}`,
      lastLines(result.output),
    );
  log(`kafka topic ${spansTopic} ready`);
}

export const kafka: BackendSpec = {
  name,
  host: 'kafka',
  version,
  source: {
    kind: 'maven-jars',
    // The server and its storage tool (core), the topic command (tools), and a binding that
    // sends their SLF4J logging to Log4j 2, which collectors/kafka/log4j2.properties configures.
    artifacts: [
      `org.apache.kafka:kafka_2.13:${version}`,
      `org.apache.kafka:kafka-tools:${version}`,
      'org.apache.logging.log4j:log4j-slf4j-impl:2.24.3',
    ],
    version,
    libDir,
  },
  ports: [
    { name: 'broker', port: 9092, protocol: 'tcp' },
    { name: 'controller', port: 9094, protocol: 'tcp' },
  ],
  topologies: ['cluster'],
  probe: (_backend, member) => {
    const port = portOf(member, 'broker');
    return { url: `kafka://127.0.0.1:${port}`, healthy: () => answersApiVersions(port) };
  },
  role: kafkaRole,
  launch,
  ready: createTopic,
};
