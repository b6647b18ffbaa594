// The backends' HTTP APIs, as the datasources call them.

/** A backend's answer; a refused connection says which backend, as the one line a panel shows. */
export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init).catch((error: Error) => {
    const cause = (error.cause as Error | undefined)?.message ?? error.message;
    throw new Error(`${new URL(url).origin} did not answer (${cause})`);
  });
  if (!response.ok)
    throw new Error(
      `${url.split('?')[0]} answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
  return (await response.json()) as T;
}
