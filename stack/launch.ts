// How each backend is started locally: its command line, its config from collectors/, its probe.

import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Backend, binDir, portNamed, type StackConfig } from './config';
import { httpOk, tcpOk } from './health';
import { renderDir } from './render';

export interface LaunchPlan {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Elasticsearch refuses to run as root. */
  user?: string;
  /** Directories the backend writes to, handed to `user` when there is one. */
  writableDirs: string[];
}

export interface Probe {
  url: string;
  healthy: () => Promise<boolean>;
}

/** The unprivileged user that runs Elasticsearch when obskit runs as root. */
export const elasticsearchUser = 'obskit-es';

export const runDirOf = (config: StackConfig, backend: Backend) =>
  join(config.runDir, backend.name);

/**
 * The file where the otelcol backend (the local stand-in for Fluentd) appends what arrives on
 * its forward port: OTLP JSON, one line per batch it received, each line
 * `{"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{},"logRecords":[…]}]}]}`.
 */
export const forwardedRecordsFile = (config: StackConfig) =>
  join(config.runDir, 'otelcol', 'records.jsonl');

/** Renders one collectors/ folder into the backend's run directory. */
function renderCollector(config: StackConfig, backend: Backend, folder: string): string {
  const source = join(config.packageRoot, 'collectors', folder);
  return renderDir(source, join(runDirOf(config, backend), 'config'), config.backends);
}

export function probeOf(backend: Backend): Probe {
  const local = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;
  switch (backend.name) {
    case 'jaeger':
      return {
        url: local(portNamed(backend, 'query')),
        healthy: async () =>
          (await httpOk(local(portNamed(backend, 'query'), '/api/services'))) &&
          (await tcpOk(portNamed(backend, 'otlp-http'))),
      };
    case 'prometheus':
    case 'alertmanager':
      return {
        url: local(portNamed(backend)),
        healthy: () => httpOk(local(portNamed(backend), '/-/ready')),
      };
    case 'elasticsearch':
      return {
        url: local(portNamed(backend)),
        healthy: () =>
          httpOk(local(portNamed(backend), '/_cluster/health'), (body) =>
            /"status":"(green|yellow)"/.test(body),
          ),
      };
    case 'redis':
      return {
        url: `redis://127.0.0.1:${portNamed(backend)}`,
        healthy: () => tcpOk(portNamed(backend), 'PING\r\n', '+PONG'),
      };
    case 'ferretdb':
      return {
        url: `mongodb://127.0.0.1:${portNamed(backend)}`,
        healthy: () => tcpOk(portNamed(backend)),
      };
    default:
      return {
        url: `tcp://127.0.0.1:${portNamed(backend)}`,
        healthy: () => tcpOk(portNamed(backend)),
      };
  }
}

export function launchPlan(
  config: StackConfig,
  backend: Backend,
  javaHome: string | undefined,
): LaunchPlan {
  const dir = runDirOf(config, backend);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  switch (backend.name) {
    case 'jaeger': {
      const conf = renderCollector(config, backend, 'jaeger');
      return {
        command: join(binDir(config), 'jaeger'),
        args: ['--config', join(conf, 'config.yaml')],
        writableDirs: [],
      };
    }
    case 'prometheus': {
      const conf = renderCollector(config, backend, 'prometheus');
      return {
        command: 'prometheus',
        args: [
          `--config.file=${join(conf, 'prometheus.yml')}`,
          `--storage.tsdb.path=${data}`,
          `--web.listen-address=127.0.0.1:${portNamed(backend)}`,
          '--enable-feature=exemplar-storage',
          '--web.enable-lifecycle',
        ],
        writableDirs: [],
      };
    }
    case 'alertmanager': {
      const conf = renderCollector(config, backend, 'prometheus');
      return {
        command: 'prometheus-alertmanager',
        args: [
          `--config.file=${join(conf, 'alertmanager.yml')}`,
          `--storage.path=${data}`,
          `--web.listen-address=127.0.0.1:${portNamed(backend)}`,
          // A single Alertmanager: no gossip port to bind or collide on.
          '--cluster.listen-address=',
        ],
        writableDirs: [],
      };
    }
    case 'elasticsearch':
      return elasticsearchPlan(config, backend, dir, data, javaHome);
    case 'rsyslog': {
      const conf = renderCollector(config, backend, 'rsyslog');
      const work = join(dir, 'work');
      mkdirSync(work, { recursive: true });
      return {
        command: 'rsyslogd',
        args: ['-n', '-f', join(conf, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')],
        env: { ...process.env, RSYSLOG_WORKDIR: work },
        writableDirs: [],
      };
    }
    case 'redis':
      return {
        command: 'redis-server',
        args: [
          '--bind',
          '127.0.0.1',
          '--port',
          String(portNamed(backend)),
          '--dir',
          data,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        writableDirs: [],
      };
    case 'ferretdb':
      return {
        command: join(binDir(config), 'ferretdb'),
        args: ['--listen-addr', `127.0.0.1:${portNamed(backend)}`, '--data-dir', data],
        writableDirs: [],
      };
    case 'otelcol': {
      const conf = renderCollector(config, backend, 'fluentd');
      return {
        command: join(binDir(config), 'otelcol'),
        args: ['--config', join(conf, 'otelcol.yaml')],
        env: { ...process.env, OTELCOL_RECORDS_FILE: forwardedRecordsFile(config) },
        writableDirs: [],
      };
    }
    default:
      throw new Error(`no launch plan for ${backend.name}`);
  }
}

function elasticsearchPlan(
  config: StackConfig,
  backend: Backend,
  dir: string,
  data: string,
  javaHome: string | undefined,
): LaunchPlan {
  const source = backend.source as { unpackedDir: string };
  const home = join(config.home, source.unpackedDir);
  const conf = join(dir, 'config');
  // ES_PATH_CONF needs the distribution's jvm.options and log4j2 settings beside ours.
  if (!existsSync(join(conf, 'jvm.options')))
    cpSync(join(home, 'config'), conf, { recursive: true });
  renderCollector(config, backend, 'elasticsearch');
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  return {
    command: join(home, 'bin', 'elasticsearch'),
    args: [
      '-E',
      `path.data=${data}`,
      '-E',
      `path.logs=${logs}`,
      '-E',
      `http.port=${portNamed(backend)}`,
      '-E',
      `transport.port=${portNamed(backend, 'transport')}`,
    ],
    env: {
      ...process.env,
      ES_PATH_CONF: conf,
      ES_JAVA_HOME: javaHome,
      ES_JAVA_OPTS: process.env.OBSKIT_ES_JAVA_OPTS || '-Xms512m -Xmx512m',
    },
    user: process.getuid?.() === 0 ? elasticsearchUser : undefined,
    writableDirs: [dir],
  };
}
