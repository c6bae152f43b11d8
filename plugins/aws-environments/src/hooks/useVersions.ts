import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsEnvironmentsApiRef } from '../api/AwsEnvironmentsApi';
import type { VersionsQuery } from '../api/types';
import {
  type VersionPickerUiOptions,
  currentComponent,
  environmentRefOf,
  placeFields,
} from '../components/shared/versions';

/**
 * The account and Region a version field is for: the form's own, or (Update form) those of the environment chosen,
 * read from `GET /environments`. `environment` is that environment's ref, when the form names one.
 */
export function useVersionsPlace(
  form: Record<string, unknown> | undefined,
  options: VersionPickerUiOptions | undefined,
): {
  place?: VersionsQuery;
  environmentRef?: string;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(awsEnvironmentsApiRef);
  const { accountId, region, environmentRef } = placeFields(form, options);
  const fromForm = accountId && region ? { accountId, region } : undefined;
  const lookup = !fromForm && environmentRef ? environmentRef : undefined;
  const { value, loading, error } = useAsync(async () => {
    if (!lookup) {
      return undefined;
    }
    const { items } = await api.listEnvironments({ entityRef: lookup });
    const environment = items.find(
      item => item.entityRef.toLowerCase() === lookup.toLowerCase(),
    );
    return environment
      ? { accountId: environment.accountId, region: environment.region }
      : undefined;
  }, [api, lookup]);
  if (fromForm) {
    return { place: fromForm, environmentRef, loading: false };
  }
  return {
    place: lookup ? value : undefined,
    environmentRef,
    loading: !!lookup && loading,
    error,
  };
}

/** `GET /aws-versions` for the account and Region; nothing while either is unknown. */
export function useAwsVersions(place: VersionsQuery | undefined) {
  const api = useApi(awsEnvironmentsApiRef);
  const accountId = place?.accountId;
  const region = place?.region;
  return useAsyncRetry(
    async () =>
      accountId && region
        ? api.getAwsVersions({ accountId, region })
        : undefined,
    [api, accountId, region],
  );
}

/** The health of the environment an Update form changes, for its current versions; nothing on the New form. */
export function useUpdatedEnvironmentHealth(
  environmentRef: string | undefined,
  enabled: boolean,
) {
  const api = useApi(awsEnvironmentsApiRef);
  const ref = enabled ? environmentRefOf(environmentRef) : undefined;
  return useAsync(
    async () => (ref ? api.getHealth(ref) : undefined),
    [api, ref?.namespace, ref?.name],
  );
}

/** `GET /prices/:region`; nothing without a Region. */
export function useRegionPrices(region: string | undefined) {
  const api = useApi(awsEnvironmentsApiRef);
  return useAsync(
    async () => (region ? api.getRegionPrices(region) : undefined),
    [api, region],
  );
}

/**
 * What a version field needs from its form: where it is (account and Region), what AWS offers there, and on the
 * Update form (`allowEmpty`) the version the environment runs now.
 */
export function useVersionField(
  formContext: { formData?: unknown } | undefined,
  options: VersionPickerUiOptions | undefined,
  kind: 'kubernetes' | 'database',
) {
  const allowEmpty = options?.allowEmpty === true;
  const form = formContext?.formData as Record<string, unknown> | undefined;
  const located = useVersionsPlace(form, options);
  const versions = useAwsVersions(located.place);
  const health = useUpdatedEnvironmentHealth(
    located.environmentRef,
    allowEmpty,
  );
  return {
    allowEmpty,
    form,
    located,
    versions,
    health,
    current: currentComponent(health.value, kind),
    /** The versions answer once loaded. */
    answer: versions.loading ? undefined : versions.value,
  };
}
