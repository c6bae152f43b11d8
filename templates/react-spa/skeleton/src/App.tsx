import { useEffect, useState } from 'react';
import type { Item } from './api';

const APP_NAME = '${{ values.name }}';

type State =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'loaded'; items: Item[] };

export function App(props: {
  loadItems: (signal?: AbortSignal) => Promise<Item[]>;
}) {
  const { loadItems } = props;
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    loadItems(controller.signal)
      .then(items => setState({ status: 'loaded', items }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setState({
            status: 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      });
    return () => controller.abort();
  }, [loadItems]);

  return (
    <main>
      <h1>{APP_NAME}</h1>
      {state.status === 'loading' && <p role="status">Loading…</p>}
      {state.status === 'failed' && (
        <p role="alert">Could not load the items: {state.message}</p>
      )}
      {state.status === 'loaded' &&
        (state.items.length === 0 ? (
          <p>No items yet.</p>
        ) : (
          <ul>
            {state.items.map(item => (
              <li key={item.id}>{item.name}</li>
            ))}
          </ul>
        ))}
    </main>
  );
}
