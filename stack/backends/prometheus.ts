// Prometheus from Debian, on collectors/prometheus/prometheus.yml, with exemplar storage.

import { httpProbe, renderCollector } from '../launch';
import type { BackendSpec } from '../manifest';
import { portNamed } from '../resolved';

/** collectors/ folder shared with Alertmanager: the rules and the routes of their alerts. */
export const prometheusCollectors = 'prometheus';

export const prometheus: BackendSpec = {
  name: 'prometheus',
  host: 'prometheus',
  version: '2.42',
  source: { kind: 'debian', packages: [{ name: 'prometheus', versionPrefix: '2.42.' }] },
  ports: [{ name: 'http', port: 9090, protocol: 'tcp' }],
  probe: (backend) => httpProbe(backend, '/-/ready'),
  launch: (context) => ({
    command: 'prometheus',
    args: [
      `--config.file=${renderCollector(context, prometheusCollectors)}/prometheus.yml`,
      `--storage.tsdb.path=${context.data}`,
      `--web.listen-address=127.0.0.1:${portNamed(context.backend)}`,
      '--enable-feature=exemplar-storage',
      '--web.enable-lifecycle',
    ],
    writableDirs: [],
  }),
};
