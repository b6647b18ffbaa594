// Redis and MongoDB in etcd, under the same layout as the services: /services/redis/<host:port>
// and /services/mongodb/<host:port>. They carry no lease: the stores do not keep one alive, so
// whoever starts them writes the keys (`obskit demo` for now; `obskit stack up` later).

import { addressesOf, tableOf } from './endpoints';
import type { EtcdClient } from './etcd-client';
import { instanceKey, instanceValue, servicePrefix } from './keys';

export interface StoreAddresses {
  /** host:port */
  redis: string;
  /** host:port */
  mongodb: string;
}

/** Writes each store's address under its service's prefix. */
export async function registerStores(etcd: EtcdClient, addresses: StoreAddresses): Promise<void> {
  for (const [store, address] of Object.entries(addresses)) {
    await etcd.put(instanceKey(store, address), instanceValue(address));
  }
}

/** The first address registered for `store`; throws when none is. */
async function storeAddress(etcd: EtcdClient, store: string): Promise<string> {
  const [address] = addressesOf(tableOf((await etcd.list(servicePrefix(store))).kvs));
  if (address === undefined)
    throw new Error(`no ${store} address in etcd at ${etcd.url} under ${servicePrefix(store)}`);
  return address;
}

/** The stores' URLs as the entity service connects to them. */
export async function storeUrls(etcd: EtcdClient): Promise<{ redis: string; mongodb: string }> {
  return {
    redis: `redis://${await storeAddress(etcd, 'redis')}`,
    mongodb: `mongodb://${await storeAddress(etcd, 'mongodb')}/`,
  };
}
