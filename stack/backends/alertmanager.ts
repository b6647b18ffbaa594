// Alertmanager from Debian, on collectors/prometheus/alertmanager.yml.

import { portOf } from '../ports';
import { httpProbe } from '../probes';
import { renderCollector } from '../render';
import type { BackendSpec } from '../types';

/** Prometheus's collectors/ folder, which holds the routes of its alerts too. */
const collectors = 'prometheus';

export const alertmanager: BackendSpec = {
  name: 'alertmanager',
  host: 'alertmanager',
  version: '0.25',
  source: {
    kind: 'debian',
    packages: [{ name: 'prometheus-alertmanager', versionPrefix: '0.25.' }],
  },
  ports: [{ name: 'http', port: 9093, protocol: 'tcp' }],
  probe: (backend) => httpProbe(backend, '/-/ready'),
  launch: (context) => ({
    command: 'prometheus-alertmanager',
    args: [
      `--config.file=${renderCollector(context, collectors)}/alertmanager.yml`,
      `--storage.path=${context.data}`,
      `--web.listen-address=127.0.0.1:${portOf(context.backend)}`,
      // A single Alertmanager: no gossip port to bind or collide on.
      '--cluster.listen-address=',
    ],
    writableDirs: [],
  }),
};
