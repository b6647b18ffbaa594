// DISCOVERY=etcd turns discovery on (static addresses are the default); OBSKIT_ETCD_URL says
// where etcd answers (a cluster's members comma-separated); OBSKIT_ADVERTISE_HOST the host
// others reach this instance at.

import { SettingError, text } from '../settings';
import { type EtcdClient, etcdClient } from './etcd-client';
import { memberUrlsOf } from './failover';

export const defaultEtcdUrl = 'http://127.0.0.1:2379';

/** The etcd to register in and resolve from, or undefined for static addresses. */
export function discoveryFromEnv(): EtcdClient | undefined {
  const mode = text('DISCOVERY', 'static');
  if (mode === 'static') return undefined;
  if (mode !== 'etcd')
    throw new SettingError(`DISCOVERY=${JSON.stringify(mode)} is not one of: static, etcd`);
  const raw = text('OBSKIT_ETCD_URL', defaultEtcdUrl);
  const urls = memberUrlsOf(raw);
  if (urls.length === 0 || !urls.every((url) => /^https?:\/\/[^/,]+$/.test(url)))
    throw new SettingError(
      `OBSKIT_ETCD_URL=${JSON.stringify(raw)} is not an http://host:port URL, or a comma-separated list of them`,
    );
  return etcdClient(urls);
}

const wildcards = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The host an instance registers: OBSKIT_ADVERTISE_HOST, else the host it listens on, where a
 * wildcard (0.0.0.0) is reached on loopback — no client can connect to 0.0.0.0 elsewhere.
 */
export function advertisedHost(listenHost: string, env = process.env): string {
  const raw = env.OBSKIT_ADVERTISE_HOST;
  if (raw === undefined || raw === '') return wildcards.has(listenHost) ? '127.0.0.1' : listenHost;
  // A host name or IPv4 address: the keys hold host:port, which an IPv6 literal would break.
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(raw) || wildcards.has(raw))
    throw new SettingError(
      `OBSKIT_ADVERTISE_HOST=${JSON.stringify(raw)} is not a host name or IPv4 address others can reach`,
    );
  return raw;
}
