import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useCallback, useState } from 'react';
import { awsEnvironmentsApiRef } from '../api/AwsEnvironmentsApi';
import type {
  EnvironmentListQuery,
  EnvironmentRef,
  FindingsQuery,
} from '../api/types';
import { type PollOptions, usePolledAsync } from './usePolledAsync';

// Every section hook reads once unless given `refreshIntervalMs`; the components that show data which changes
// within minutes (health, stacks, the overview) pass it.

export function useEnvironmentHealth(
  ref: EnvironmentRef,
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  return usePolledAsync(
    () => api.getHealth(ref),
    [api, ref.namespace, ref.name],
    options,
  );
}

export function useEnvironmentCosts(
  ref: EnvironmentRef,
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  return usePolledAsync(
    () => api.getCosts(ref),
    [api, ref.namespace, ref.name],
    options,
  );
}

export function useEnvironmentFindings(
  ref: EnvironmentRef,
  query: FindingsQuery,
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  const severities = (query.severity ?? []).join(',');
  return usePolledAsync(
    () => api.getFindings(ref, query),
    // The query object is rebuilt on each render; its contents decide when to fetch again.
    [api, ref.namespace, ref.name, severities, query.product, query.limit],
    options,
  );
}

export function useEnvironmentStacks(
  ref: EnvironmentRef,
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  return usePolledAsync(
    () => api.getStacks(ref),
    [api, ref.namespace, ref.name],
    options,
  );
}

/** One page of the environments the query asks for, read again on the poll interval. */
export function useEnvironments(
  query: EnvironmentListQuery = {},
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  // The query object is rebuilt on each render; its contents decide when to fetch again.
  const key = JSON.stringify(query);
  return usePolledAsync(() => api.listEnvironments(query), [api, key], options);
}

export function useAwsAccounts() {
  const api = useApi(awsEnvironmentsApiRef);
  return useAsyncRetry(() => api.listAccounts(), [api]);
}

/** The data source's mode; undefined while unknown or when the backend cannot say. */
export function useAwsMode() {
  const api = useApi(awsEnvironmentsApiRef);
  return useAsyncRetry(() => api.getMode(), [api]).value;
}

/**
 * Asks the backend to collect an environment's insights now, then calls `onDone` so the caller can read them again.
 */
export function useRefreshEnvironment(
  ref: EnvironmentRef,
  onDone: () => void,
) {
  const api = useApi(awsEnvironmentsApiRef);
  const [state, setState] = useState<{ refreshing: boolean; error?: Error }>(
    { refreshing: false },
  );
  const refresh = useCallback(async () => {
    setState({ refreshing: true });
    try {
      const result = await api.refresh(ref);
      const failed = result.sections.filter(section => !section.ok);
      setState({
        refreshing: false,
        error: failed.length
          ? new Error(
              failed
                .map(f => `Refreshing ${f.section} failed: ${f.error ?? 'unknown error'}`)
                .join('; '),
            )
          : undefined,
      });
      onDone();
    } catch (error) {
      setState({ refreshing: false, error: error as Error });
    }
  }, [api, ref, onDone]);
  return { ...state, refresh };
}
