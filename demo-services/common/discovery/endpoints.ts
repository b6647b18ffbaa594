// The addresses registered under a service's prefix, followed live: a listing, then a watch from
// the listing's revision. While etcd is away the last known addresses stay; when it answers
// again, a fresh listing replaces them and the watch starts over.

import { logger } from 'obskit/logger';
import type { EtcdClient, KeyValue, WatchEvent } from './etcd-client';
import { addressOf } from './keys';

/** Instance key → address. */
export type EndpointTable = Map<string, string>;

export function tableOf(kvs: readonly KeyValue[]): EndpointTable {
  const table: EndpointTable = new Map();
  applyEvents(
    table,
    kvs.map((kv) => ({ type: 'put', ...kv })),
  );
  return table;
}

/** Applies a watch batch; a value that names no address counts as no instance. */
export function applyEvents(table: EndpointTable, events: readonly WatchEvent[]): void {
  for (const event of events) {
    const address = event.type === 'put' ? addressOf(event.value) : undefined;
    if (address === undefined) table.delete(event.key);
    else table.set(event.key, address);
  }
}

/** The distinct addresses, sorted: two instances on one address are one endpoint. */
export const addressesOf = (table: EndpointTable): string[] => [...new Set(table.values())].sort();

export interface Follower {
  stop(): void;
}

export interface FollowHandlers {
  /** Every change of the address list, the first listing included. */
  onAddresses(addresses: string[]): void;
  /** etcd could not be read before any listing: there is nothing to keep. */
  onNoListing(reason: string): void;
}

const retryMs = 1000;

export function followPrefix(etcd: EtcdClient, prefix: string, handlers: FollowHandlers): Follower {
  const abort = new AbortController();
  let last: string | undefined;
  let failing = false;
  const report = (table: EndpointTable) => {
    const addresses = addressesOf(table);
    if (addresses.join() === last) return;
    last = addresses.join();
    handlers.onAddresses(addresses);
  };
  const once = async () => {
    const listing = await etcd.list(prefix);
    if (failing) logger.info(`etcd at ${etcd.url} answers again; following ${prefix}`);
    failing = false;
    const table = tableOf(listing.kvs);
    report(table);
    const onEvents = (events: WatchEvent[]) => {
      applyEvents(table, events);
      report(table);
    };
    await etcd.watch(prefix, listing.revision + 1, onEvents, abort.signal);
  };
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        await once();
      } catch (error) {
        if (abort.signal.aborted) return;
        const reason = error instanceof Error ? error.message : String(error);
        if (last === undefined) handlers.onNoListing(reason);
        if (!failing)
          logger.warn(`etcd at ${etcd.url} unreachable; keeping the last ${prefix} endpoints`, {
            error,
          });
        failing = true;
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
    }
  };
  void loop();
  return { stop: () => abort.abort() };
}
