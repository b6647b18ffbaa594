// FerretDB v1.24.0 with its SQLite backend, pinned in stack/ferretdb/go.mod: the MongoDB wire
// protocol for the demo.

import { join } from 'node:path';
import { portOf } from '../ports';
import { tcpProbe } from '../probes';
import type { BackendSpec } from '../types';

const binary = 'ferretdb';

export const ferretdb: BackendSpec = {
  name: 'ferretdb',
  host: 'mongodb',
  version: '1.24.0',
  source: { kind: 'go-main', dir: 'stack/ferretdb', binary },
  ports: [{ name: 'mongodb', port: 27017, protocol: 'tcp' }],
  probe: (backend) => tcpProbe(backend, 'mongodb'),
  launch: ({ backend, bin, data }) => ({
    command: join(bin, binary),
    args: ['--listen-addr', `127.0.0.1:${portOf(backend)}`, '--data-dir', data],
    writableDirs: [],
  }),
};
