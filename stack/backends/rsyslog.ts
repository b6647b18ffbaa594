// rsyslog with omelasticsearch from Debian, on collectors/rsyslog/rsyslog.conf: syslog in, and
// Traefik's access log tailed from its file.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderCollector, tcpProbe } from '../launch';
import type { BackendSpec } from '../manifest';
import { elasticsearch } from './elasticsearch';
import { accessLogFile } from './traefik';

export const rsyslog: BackendSpec = {
  name: 'rsyslog',
  host: 'rsyslog',
  version: '8.2302',
  source: {
    kind: 'debian',
    packages: [
      { name: 'rsyslog', versionPrefix: '8.2302.' },
      { name: 'rsyslog-elasticsearch', versionPrefix: '8.2302.' },
    ],
  },
  ports: [{ name: 'syslog', port: 5140, protocol: 'tcp+udp' }],
  // The index template must be in place first: an index rsyslog created before it would keep
  // dynamic mappings for the whole day. A getter: backends import each other.
  get startsAfter() {
    return [elasticsearch.name];
  },
  probe: (backend) => tcpProbe(backend),
  launch: (context) => {
    const work = join(context.dir, 'work');
    mkdirSync(work, { recursive: true });
    const accessLog = accessLogFile(context.config);
    // imfile watches the folder for the file Traefik creates, even when Traefik starts later.
    mkdirSync(dirname(accessLog), { recursive: true });
    return {
      // Debian's path: a user's PATH other than root's lacks /usr/sbin.
      command: '/usr/sbin/rsyslogd',
      args: [
        ...['-n', '-f', join(renderCollector(context, 'rsyslog'), 'rsyslog.conf')],
        ...['-i', join(context.dir, 'rsyslogd.pid')],
      ],
      env: { ...process.env, RSYSLOG_WORKDIR: work, TRAEFIK_ACCESS_LOG: accessLog },
      writableDirs: [],
    };
  },
};
