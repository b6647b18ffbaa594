// GET /metrics on the preload's own port: never traced, never keeping the process alive,
// and a taken port costs one warning, not the app.

import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { untracedServer } from '../http-server';
import { warn } from '../warn';
import {
  format,
  type Metric,
  openMetricsType,
  prometheusType,
  wantsOpenMetrics,
} from './exposition';
import type { MetricsRegistry } from './registry';

/** The default registry of the prom-client the app itself loads, which may be another copy. */
function appDefaultRegistry(): Registry {
  try {
    const from = createRequire(process.argv[1] ?? join(process.cwd(), 'index.js'));
    return (from('prom-client') as { register: Registry }).register;
  } catch {
    return (require('prom-client') as { register: Registry }).register;
  }
}

/** obskit's families first; an app family of the same name (its own default metrics) is left out. */
async function gather(registry: MetricsRegistry): Promise<Metric[]> {
  const own = (await registry.getMetricsAsJSON()) as unknown as Metric[];
  const names = new Set(own.map((m) => m.name));
  const app = (await appDefaultRegistry().getMetricsAsJSON()) as unknown as Metric[];
  return [...own, ...app.filter((m) => !names.has(m.name))];
}

/** Serves the registry that `registry()` gives, created on the first scrape at the latest. */
export function serveMetrics(
  registry: () => MetricsRegistry | undefined,
  port: number,
  host: string,
  onListening: (address: AddressInfo) => void = () => {},
): Server {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/metrics')) {
      res.writeHead(404).end('not found; metrics are at /metrics\n');
      return;
    }
    try {
      const openMetrics = wantsOpenMetrics(req.headers.accept);
      const own = registry();
      if (!own) {
        res.writeHead(503).end('metrics are off: see the warning on stderr\n');
        return;
      }
      const families = await gather(own);
      res.writeHead(200, { 'content-type': openMetrics ? openMetricsType : prometheusType });
      res.end(format(families, openMetrics));
    } catch (error) {
      res.writeHead(500).end(`${error instanceof Error ? error.message : error}\n`);
    }
  });
  (server as Server & { [untracedServer]?: boolean })[untracedServer] = true;
  server.on('error', (error: NodeJS.ErrnoException) => {
    const taken = error.code === 'EADDRINUSE';
    const problem = taken ? `port ${port} is already in use` : error.message;
    const fix = taken
      ? 'set OBSKIT_METRICS_PORT to a free port, or 0 to turn it off'
      : 'set OBSKIT_METRICS_HOST to an address of this host, or OBSKIT_METRICS_PORT=0 to turn it off';
    warn(
      `cannot serve metrics on ${host}:${port}: ${problem}; the app runs without /metrics (${fix})`,
    );
  });
  // Prometheus keeps its connection open between scrapes; it must not keep the app alive.
  server.on('connection', (socket) => socket.unref());
  server.on('listening', () => onListening(server.address() as AddressInfo));
  server.listen(port, host);
  server.unref();
  return server;
}
