// A grpc-js resolver for `etcd:///<service>` targets: it follows /services/<service>/ in etcd
// and hands every change of the address list to the channel's load balancer (round_robin in the
// demo), so a replica that registers is used and one whose key goes is dropped, without a
// restart. While etcd is away it reports nothing: the balancer keeps the last endpoints.

import { experimental, status } from '@grpc/grpc-js';
import { type Follower, followPrefix } from './endpoints';
import type { EtcdClient } from './etcd-client';
import { servicePrefix, splitAddress } from './keys';
import { recordEndpoints } from './metrics';

export const etcdScheme = 'etcd';

/** The target that resolves `service` through etcd. */
export const etcdTarget = (service: string) => `${etcdScheme}:///${service}`;

type Listener = experimental.ResolverListener;

/** The endpoint list as grpc-js takes it: one address per endpoint. */
export const endpointsOf = (addresses: readonly string[]): experimental.Endpoint[] =>
  addresses.map((address) => ({ addresses: [splitAddress(address)] }));

/** Makes `etcd:///` targets resolve through `etcd`; call before creating such a client. */
export function registerEtcdResolver(etcd: EtcdClient): void {
  class EtcdResolver implements experimental.Resolver {
    private follower: Follower | undefined;
    private readonly service: string;

    constructor(
      target: experimental.GrpcUri,
      private readonly listener: Listener,
    ) {
      this.service = target.path;
    }

    updateResolution(): void {
      // Already following: every change is pushed. Answering each request again would loop,
      // since each answer resets the balancer's backoff between requests.
      if (this.follower) return;
      this.follower = followPrefix(etcd, servicePrefix(this.service), {
        onAddresses: (addresses) => this.report(addresses),
        onNoListing: (reason) =>
          this.listener(
            experimental.statusOrFromError({
              code: status.UNAVAILABLE,
              details: `no ${this.service} endpoints from etcd at ${etcd.url}: ${reason}`,
            }),
            {},
            null,
            '',
          ),
      });
    }

    destroy(): void {
      this.follower?.stop();
      this.follower = undefined;
    }

    private report(addresses: string[]): void {
      if (!this.follower) return;
      recordEndpoints(this.service, addresses.length);
      this.listener(experimental.statusOrFromValue(endpointsOf(addresses)), {}, null, '');
    }

    static getDefaultAuthority(target: experimental.GrpcUri): string {
      return target.path;
    }
  }
  experimental.registerResolver(etcdScheme, EtcdResolver);
}
