// The key layout in etcd, in one place:
//   /services/<service>/<host:port>  →  {"address":"<host:port>"}   one key per instance
// and the gateway's route in Traefik's KV layout under the root key `traefik`.

export const servicesRoot = '/services/';

/** Every instance of `service` is a key under this prefix. */
export const servicePrefix = (service: string) => `${servicesRoot}${service}/`;

/** The address is the instance's ID: a replica restarted on its port takes its own key back. */
export const instanceKey = (service: string, address: string) =>
  `${servicePrefix(service)}${address}`;

export const instanceValue = (address: string) => JSON.stringify({ address });

/** The host:port an instance's value names, or undefined for a value that is not one. */
export function addressOf(value: string): string | undefined {
  try {
    const { address } = JSON.parse(value) as { address?: unknown };
    return typeof address === 'string' && /^[^\s:]+:\d{1,5}$/.test(address) ? address : undefined;
  } catch {
    return undefined;
  }
}

export interface HostPort {
  host: string;
  port: number;
}

export function splitAddress(address: string): HostPort {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

export const traefikRoot = 'traefik';

/**
 * The gateway's route for Traefik's etcd provider. The router's keys describe the route, shared
 * by every gateway; each gateway adds its own server, keyed by its port (Traefik reads a list's
 * items in order, whatever their numbers).
 */
export function gatewayRoute(port: number, host = '127.0.0.1') {
  const router = `${traefikRoot}/http/routers/gateway`;
  return {
    shared: {
      [`${router}/rule`]: 'PathPrefix(`/`)',
      [`${router}/service`]: 'gateway',
      [`${router}/entryPoints/0`]: 'web',
    },
    instance: {
      [`${traefikRoot}/http/services/gateway/loadBalancer/servers/${port}/url`]: `http://${host}:${port}`,
    },
  };
}
