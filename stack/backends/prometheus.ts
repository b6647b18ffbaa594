// Prometheus from Debian, on collectors/prometheus/prometheus.yml, with exemplar storage.

import { pruneDeadRegistrations } from '../../common/stack-paths';
import { portOf } from '../ports';
import { httpProbe } from '../probes';
import { renderCollector } from '../render';
import type { BackendSpec } from '../types';

export const prometheus: BackendSpec = {
  name: 'prometheus',
  host: 'prometheus',
  version: '2.42',
  source: { kind: 'debian', packages: [{ name: 'prometheus', versionPrefix: '2.42.' }] },
  ports: [{ name: 'http', port: 9090, protocol: 'tcp' }],
  probe: (backend) => httpProbe(backend, '/-/ready'),
  launch: (context) => {
    const config = renderCollector(context, 'prometheus');
    // Apps killed while the stack was down would be TargetDown forever.
    pruneDeadRegistrations(context.config.runDir);
    return {
      command: 'prometheus',
      args: [
        `--config.file=${config}/prometheus.yml`,
        `--storage.tsdb.path=${context.data}`,
        `--web.listen-address=127.0.0.1:${portOf(context.backend)}`,
        '--enable-feature=exemplar-storage',
        '--web.enable-lifecycle',
      ],
      writableDirs: [],
    };
  },
};
