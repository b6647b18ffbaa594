// Alertmanager from Debian, on collectors/prometheus/alertmanager.yml.

import { httpProbe, renderCollector } from '../launch';
import type { BackendSpec } from '../manifest';
import { portNamed } from '../resolved';
import { prometheusCollectors } from './prometheus';

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
      `--config.file=${renderCollector(context, prometheusCollectors)}/alertmanager.yml`,
      `--storage.path=${context.data}`,
      `--web.listen-address=127.0.0.1:${portNamed(context.backend)}`,
      // A single Alertmanager: no gossip port to bind or collide on.
      '--cluster.listen-address=',
    ],
    writableDirs: [],
  }),
};
