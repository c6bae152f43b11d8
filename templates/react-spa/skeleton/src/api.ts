export interface Item {
  id: number;
  name: string;
}

/** Reads the items from the API, which the environment's CloudFront serves under /api on the SPA's own domain. */
export async function fetchItems(signal?: AbortSignal): Promise<Item[]> {
  const response = await fetch('/api/items', {
    signal,
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) {
    throw new Error(`The API answered ${response.status}`);
  }
  const body = (await response.json()) as { items: Item[] };
  return body.items;
}
