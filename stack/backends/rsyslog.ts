// rsyslog with omelasticsearch from Debian, on collectors/rsyslog/rsyslog.conf: syslog in, and
// Traefik's access log tailed from its file.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { edgeAccessLog } from '../../common/stack-paths';
import { tcpProbe } from '../probes';
import { renderCollector } from '../render';
import type { BackendSpec } from '../types';

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
  // dynamic mappings for the whole day.
  startsAfter: ['elasticsearch'],
  probe: (backend) => tcpProbe(backend),
  launch: (context) => {
    const work = join(context.dir, 'work');
    mkdirSync(work, { recursive: true });
    const accessLog = edgeAccessLog(context.config.runDir);
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
