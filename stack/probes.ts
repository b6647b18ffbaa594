// The probes that backends without a check of their own share: connect, or GET a path.

import { httpOk, tcpOk } from './health';
import { portOf } from './ports';
import type { Backend, Member, Probe } from './types';

/** A probe that only connects, for backends with no health endpoint of their own. */
export function tcpProbe(backend: Backend, scheme = 'tcp'): Probe {
  const port = portOf(backend);
  return { url: `${scheme}://127.0.0.1:${port}`, healthy: () => tcpOk(port) };
}

/** A probe that GETs `path` on the first port of the backend (or of one of its members). */
export function httpProbe(
  backend: Backend | Member,
  path: string,
  accept?: (body: string) => boolean,
): Probe {
  const url = `http://127.0.0.1:${portOf(backend)}`;
  return { url, healthy: () => httpOk(`${url}${path}`, accept) };
}
