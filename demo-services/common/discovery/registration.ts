// An instance's keys in etcd under a lease kept alive: they vanish within the TTL of a process
// that dies without a word, and at once when it stops (the lease is revoked). While etcd is away
// the keep-alive retries; a lease etcd lost by then is granted anew and the keys put again.

import { logger } from 'obskit/logger';
import type { EtcdClient } from './etcd-client';

export const leaseTtlSeconds = 5;

export interface Registration {
  /** Revokes the lease: the keys go at once. */
  stop(): Promise<void>;
}

/** Puts `entries` under a lease of `ttlSeconds`, renewed three times per TTL until stopped. */
export async function register(
  etcd: EtcdClient,
  entries: Record<string, string>,
  what: string,
  ttlSeconds = leaseTtlSeconds,
): Promise<Registration> {
  let lease: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failing = false;

  const renew = async () => {
    if (lease !== undefined && (await etcd.keepAlive(lease)) > 0) return;
    lease = await etcd.grant(ttlSeconds);
    for (const [key, value] of Object.entries(entries)) await etcd.put(key, value, lease);
    logger.info(`${what}: registered in etcd (${Object.keys(entries).join(', ')})`);
  };
  const tick = async () => {
    try {
      await renew();
      if (failing) logger.info(`${what}: etcd at ${etcd.url} answers again`);
      failing = false;
    } catch (error) {
      // One line when etcd goes away, not one per retry.
      if (!failing) logger.warn(`${what}: etcd at ${etcd.url} unreachable, retrying`, { error });
      failing = true;
    }
    if (stopped) return;
    timer = setTimeout(
      () => {
        current = tick();
      },
      (ttlSeconds * 1000) / 3,
    ).unref();
  };
  let current = tick();
  await current;

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current; // a renewal under way must not grant a lease after the revoke
      if (lease === undefined) return;
      await etcd.revoke(lease).catch((error: unknown) => {
        logger.warn(`${what}: could not revoke its etcd lease; its keys expire with it`, { error });
      });
    },
  };
}
