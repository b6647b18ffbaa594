// The UIs the saved objects link to, as compose routes them through Traefik: *.localhost on the
// web port OBSKIT_PORT_TRAEFIK_WEB (80 unless set), rendered into the file at import.

import { uids } from '../../../common/dashboard-ids';
import { obskitError } from '../../../common/errors';

/** Where compose routes each UI; browsers resolve *.localhost to the loopback address. */
const uiHosts = { jaeger: 'jaeger.localhost', grafana: 'grafana.localhost' } as const;

/** A UI's URL on port 80, as the committed file holds it. */
const uiUrl = (ui: keyof typeof uiHosts, path: string) => `http://${uiHosts[ui]}${path}`;

export const jaegerTraceUrl = uiUrl('jaeger', '/trace/{{value}}');

/** Grafana's Service detail of the service a line came from. */
export const grafanaServiceUrl = uiUrl('grafana', `/d/${uids.serviceDetail}?var-service={{value}}`);

/** The file with every UI link on `port`: Traefik's web port where compose publishes it. */
export function withUiPort(ndjson: string, port: string | undefined): string {
  if (!port || port === '80') return ndjson;
  if (!/^\d{1,5}$/.test(port))
    throw obskitError(
      'OBSKIT_E_USAGE',
      `OBSKIT_PORT_TRAEFIK_WEB must be a port number, not '${port}'`,
    );
  return Object.values(uiHosts).reduce(
    (text, host) => text.replaceAll(`http://${host}/`, `http://${host}:${port}/`),
    ndjson,
  );
}
