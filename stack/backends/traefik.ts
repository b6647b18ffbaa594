// Traefik v3, built from its Go module inside the module (as Jaeger is), on
// collectors/traefik/traefik.yml: the demo's edge, routed from etcd, traced to Jaeger, scraped
// by Prometheus, its JSON access log shipped to Elasticsearch by rsyslog.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeAccessLog } from '../../common/stack-paths';
import { httpOk } from '../health';
import { memberPortsOf, portOf } from '../ports';
import { renderCollector } from '../render';
import type { BackendSpec, StackConfig } from '../types';

const binary = 'traefik';
const version = '3.6.12';

/** Where compose's Traefik writes its access log (traefik.yml's accessLog.filePath). */
const composeAccessLog = '/var/log/traefik/access.log';

/** Traefik's root key in etcd (traefik.yml's providers.etcd.rootKey). */
const rootKey = 'traefik';

/**
 * Traefik's etcd provider retries its watch, backing off up to a minute, while nothing is under
 * its root key; one real key there from the start lets a route written later show at once: a
 * retry middleware that routers may name as `retry@etcd`.
 */
async function seedRootKey(config: StackConfig, log: (line: string) => void): Promise<void> {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const key = `${rootKey}/http/middlewares/retry/retry/attempts`;
  const body = JSON.stringify({ key: b64(key), value: b64('2') });
  let answer: Response | Error = new Error('no etcd member');
  // Any member takes it; the next is asked only when one does not answer.
  for (const port of memberPortsOf(config, 'etcd', 'client')) {
    const url = `http://127.0.0.1:${port}/v3/kv/put`;
    answer = await fetch(url, { method: 'POST', body }).catch((error: Error) => error);
    if (!(answer instanceof Error)) break;
  }
  if (answer instanceof Error || !answer.ok)
    log(`etcd did not take ${key} (${answer instanceof Error ? answer.message : answer.status})`);
}

export const traefik: BackendSpec = {
  name: 'traefik',
  host: 'traefik',
  // v3.7's go.mod replaces a package its module zip lacks; v3.6.12 builds from the proxy.
  version,
  source: {
    kind: 'go-module',
    module: 'github.com/traefik/traefik/v3',
    version: `v${version}`,
    package: './cmd/traefik',
    binary,
  },
  // Traefik reports its version from a link-time variable that its Makefile normally sets.
  ldflags: `-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=v${version}`,
  ports: [
    { name: 'web', port: 8000, protocol: 'tcp' },
    { name: 'api', port: 8082, protocol: 'tcp' },
  ],
  // Its routes come from etcd.
  startsAfter: ['etcd'],
  probe: (backend) => {
    const url = `http://127.0.0.1:${portOf(backend, 'api')}`;
    return { url, healthy: () => httpOk(`${url}/ping`) };
  },
  launch: (context) => {
    const conf = renderCollector(context, 'traefik');
    const file = join(conf, 'traefik.yml');
    // The two paths compose resolves in its container: dynamic.yml and the access log.
    const local = readFileSync(file, 'utf8')
      .replace('filename: dynamic.yml', `filename: ${join(conf, 'dynamic.yml')}`)
      .replace(composeAccessLog, edgeAccessLog(context.config.runDir));
    writeFileSync(file, local);
    return {
      command: join(context.bin, binary),
      args: ['--configFile', file],
      writableDirs: [],
    };
  },
  ready: (config, _backend, log) => seedRootKey(config, log),
};
