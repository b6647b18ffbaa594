// The requests of the demo load: a steady mix of reads and writes over entities the load
// created itself, so reads hit the cache after a first miss and writes invalidate it.

export interface PlannedRequest {
  method: string;
  path: string;
  body?: string;
  /** Called with the answer's status and body (0 and '' when none came), to learn created ids. */
  settle(status: number, body: string): void;
}

/** Shares of each kind of request; they add up to 1. */
export const mixShares = { read: 0.55, list: 0.1, create: 0.15, update: 0.15, delete: 0.05 };

const poolSize = 200;

export function requestMix(random: () => number = Math.random) {
  const ids: string[] = [];
  const oneOf = <T>(items: readonly T[]): T | undefined =>
    items[Math.floor(random() * items.length)];
  const pick = () => oneOf(ids) ?? '';
  const body = () =>
    JSON.stringify({
      name: `entity ${Math.floor(random() * 1e6)}`,
      attributes: { color: oneOf(['red', 'green', 'blue']) },
    });
  const ignore = () => {};

  const create = (): PlannedRequest => ({
    method: 'POST',
    path: '/entities',
    body: body(),
    settle(status, text) {
      if (status !== 201) return;
      ids.push((JSON.parse(text) as { id: string }).id);
      if (ids.length > poolSize) ids.shift();
    },
  });

  // Reads and updates in flight, by id: a delete may overtake one on another replica.
  const inFlight = new Map<string, number>();
  const holding = (id: string, request: Omit<PlannedRequest, 'settle'>): PlannedRequest => {
    inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    return {
      ...request,
      settle() {
        const left = (inFlight.get(id) ?? 1) - 1;
        if (left > 0) inFlight.set(id, left);
        else inFlight.delete(id);
      },
    };
  };
  const read = (id: string) => holding(id, { method: 'GET', path: `/entities/${id}` });
  const update = (id: string) =>
    holding(id, { method: 'PUT', path: `/entities/${id}`, body: body() });
  // Only an id with nothing in flight, forgotten before it is sent: no request on it can then
  // reach the entity service after the delete and answer 404.
  const remove = (): PlannedRequest => {
    const id = oneOf(ids.filter((known) => !inFlight.has(known)));
    if (id === undefined) return read(pick());
    ids.splice(ids.indexOf(id), 1);
    return { method: 'DELETE', path: `/entities/${id}`, settle: ignore };
  };

  /** The next request; a create while there is nothing to read yet. */
  return function next(): PlannedRequest {
    if (ids.length === 0) return create();
    const kind = kindOf(random());
    if (kind === 'create') return create();
    if (kind === 'list') return { method: 'GET', path: '/entities?limit=20', settle: ignore };
    if (kind === 'delete') return remove();
    return { read, update }[kind](pick());
  };
}

function kindOf(draw: number): keyof typeof mixShares {
  let sum = 0;
  for (const [kind, share] of Object.entries(mixShares)) {
    sum += share;
    if (draw < sum) return kind as keyof typeof mixShares;
  }
  return 'read';
}
