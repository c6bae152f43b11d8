import { useApi } from '@backstage/core-plugin-api';
import { awsEnvironmentsApiRef } from '../api/AwsEnvironmentsApi';
import type { EnvironmentRef, HistoryQuery } from '../api/types';
import { type PollOptions, usePolledAsync } from './usePolledAsync';

/** One page of the environment's history, newest first. */
export function useEnvironmentHistory(
  ref: EnvironmentRef,
  query: HistoryQuery,
  options: PollOptions = {},
) {
  const api = useApi(awsEnvironmentsApiRef);
  return usePolledAsync(
    () => api.getHistory(ref, query),
    [api, ref.namespace, ref.name, query.limit, query.offset],
    options,
  );
}
