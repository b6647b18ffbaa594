// DISCOVERY=etcd turns discovery on (static addresses are the default); OBSKIT_ETCD_URL says
// where etcd answers.

import { SettingError, text } from '../settings';
import { type EtcdClient, etcdClient } from './etcd-client';

export const defaultEtcdUrl = 'http://127.0.0.1:2379';

/** The etcd to register in and resolve from, or undefined for static addresses. */
export function discoveryFromEnv(): EtcdClient | undefined {
  const mode = text('DISCOVERY', 'static');
  if (mode === 'static') return undefined;
  if (mode !== 'etcd')
    throw new SettingError(`DISCOVERY=${JSON.stringify(mode)} is not one of: static, etcd`);
  const url = text('OBSKIT_ETCD_URL', defaultEtcdUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(url))
    throw new SettingError(`OBSKIT_ETCD_URL=${JSON.stringify(url)} is not an http://host:port URL`);
  return etcdClient(url);
}
