// The etcd endpoints a client knows, tried in turn: the one that answered last goes first, and
// a call that one refuses or lets time out goes on to the next, once round the list.

export interface EndpointPool {
  /** Every endpoint, comma-separated: how the client names its etcd in log lines. */
  readonly label: string;
  /** The endpoint tried first: the one that answered last. */
  current(): string;
  /** `attempt` on each endpoint from the current one on, until one is reached; else its last error. */
  tryEach<T>(attempt: (url: string) => Promise<T>): Promise<T>;
}

/** A refused or reset connection (fetch's TypeError) or a request past its timeout. */
export const isUnreachable = (error: unknown): boolean =>
  error instanceof TypeError ||
  (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));

/** `http://a:2379,http://b:2379` or a list: the endpoints, without trailing slashes. */
export const memberUrlsOf = (urls: string | readonly string[]): string[] =>
  (typeof urls === 'string' ? urls.split(',') : urls)
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter((url) => url !== '');

export function endpointPool(urls: string | readonly string[]): EndpointPool {
  const endpoints = memberUrlsOf(urls);
  if (endpoints.length === 0) throw new Error('no etcd endpoint given');
  let preferred = 0;
  const at = (index: number) => endpoints[index % endpoints.length] as string;
  return {
    label: endpoints.join(','),
    current: () => at(preferred),
    tryEach: async (attempt) => {
      let lastError: unknown;
      for (let tried = 0; tried < endpoints.length; tried++) {
        const index = (preferred + tried) % endpoints.length;
        try {
          const value = await attempt(at(index));
          preferred = index;
          return value;
        } catch (error) {
          if (!isUnreachable(error)) throw error;
          lastError = error;
        }
      }
      throw lastError;
    },
  };
}
