import {
  type DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import useEvent from 'react-use/esm/useEvent';
import useInterval from 'react-use/esm/useInterval';
import useLatest from 'react-use/esm/useLatest';
import useMountedState from 'react-use/esm/useMountedState';

/**
 * How often the Environments page, the Health card and the Infrastructure tab read again while visible. The backend
 * collects health and stacks every 5 minutes, so a minute keeps the screen at most a minute behind it at little cost.
 */
export const DEFAULT_REFRESH_INTERVAL_MS = 60_000;

export interface PollOptions {
  /**
   * Read again this often (milliseconds) while the page is visible, and at once when the page is shown again after
   * the data has become older than this. `null`, `undefined` or `0`: read once (and on `retry`).
   */
  refreshIntervalMs?: number | null;
}

export interface PolledAsyncState<T> {
  /** The latest answer; kept, rather than dropped, when a later read fails. */
  value?: T;
  /** A read is in flight: the first one, or a refresh while `value` is still shown. */
  loading: boolean;
  /** Why the latest read failed. With `value` set, `value` is the answer received at `updatedAt`. */
  error?: Error;
  /** When `value` was received. */
  updatedAt?: Date;
  /** Reads again now. */
  retry: () => void;
}

interface ReadState<T> {
  value?: T;
  loading: boolean;
  error?: Error;
  updatedAt?: Date;
  /** Which dependency list `value` answers, so a failure never presents another query's answer as its own. */
  generation?: number;
}

function isDocumentVisible(): boolean {
  return (
    typeof document === 'undefined' || document.visibilityState !== 'hidden'
  );
}

const documentTarget = typeof document === 'undefined' ? null : document;

/**
 * Like react-use's `useAsyncRetry`, but it reads again on an interval while the document is visible, and a failed
 * read keeps the last answer (with `error` and `updatedAt`) so a screen left open degrades to old data with a notice
 * instead of an error page. react-use's `useAsync` drops the value when a call fails, hence this hook.
 */
export function usePolledAsync<T>(
  read: () => Promise<T>,
  deps: DependencyList,
  options: PollOptions = {},
): PolledAsyncState<T> {
  const intervalMs = options.refreshIntervalMs || null;
  const [state, setState] = useState<ReadState<T>>({ loading: true });
  const isMounted = useMountedState();
  const latestCall = useRef(0);
  const generation = useRef(0);
  const lastStartedAt = useRef<number | undefined>(undefined);

  const start = useCallback(
    () => {
      const call = ++latestCall.current;
      const callGeneration = generation.current;
      lastStartedAt.current = Date.now();
      setState(current =>
        current.loading ? current : { ...current, loading: true },
      );
      read().then(
        value => {
          if (isMounted() && call === latestCall.current) {
            setState({
              value,
              loading: false,
              updatedAt: new Date(),
              generation: callGeneration,
            });
          }
        },
        (error: Error) => {
          if (isMounted() && call === latestCall.current) {
            setState(current =>
              current.generation === callGeneration
                ? { ...current, error, loading: false }
                : { error, loading: false },
            );
          }
        },
      );
    },
    // The caller's dependency list decides when `read` asks something else, as with react-use's useAsync.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    deps,
  );

  useEffect(() => {
    generation.current += 1;
    start();
  }, [start]);

  const [visible, setVisible] = useState(isDocumentVisible);
  const loading = useLatest(state.loading);
  // On return, read only if the data is due, so switching back and forth between tabs costs no extra reads.
  const startIfDue = useLatest(() => {
    const age = Date.now() - (lastStartedAt.current ?? 0);
    if (intervalMs && !loading.current && age >= intervalMs) {
      start();
    }
  });

  const onVisibilityChange = useCallback(() => {
    const nowVisible = isDocumentVisible();
    setVisible(nowVisible);
    if (nowVisible) {
      startIfDue.current();
    }
  }, [startIfDue]);
  useEvent('visibilitychange', onVisibilityChange, documentTarget);

  // A hidden tab does not read at all; the interval starts afresh when it is shown.
  useInterval(
    () => {
      if (!loading.current) {
        start();
      }
    },
    visible ? intervalMs : null,
  );

  const { value, error, updatedAt } = state;
  return { value, loading: state.loading, error, updatedAt, retry: start };
}
