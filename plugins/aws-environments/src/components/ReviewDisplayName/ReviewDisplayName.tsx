import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import { ownerDisplayName } from '../EnvironmentOwnerPicker/ownerDisplayName';
import { knownEntityLabel } from '../EnvironmentPicker/entityLabels';

export interface ReviewDisplayNameUiOptions {
  /** The form field whose value this one names, e.g. `accountId`. */
  of?: string;
  /** What the value is: an AWS account id (`awsAccount`) or a catalog entity ref (`entity`). */
  source?: 'awsAccount' | 'entity';
}

/** How an account is named where a person reads it: its name, then its id. */
export function accountDisplayName(account: { name: string; accountId: string }): string {
  return `${account.name} (${account.accountId})`;
}

/**
 * Form field `ui:field: ReviewDisplayName`, hidden in the form (`ui:widget: hidden`): the name a person knows another
 * field's value by, such as the account's name for its id, so that the Review step lists that name. Its own value is
 * that name, or the other field's value as it is while the name is unknown; the template's steps never read it.
 */
export function ReviewDisplayName(
  props: FieldExtensionComponentProps<string, ReviewDisplayNameUiOptions>,
) {
  const { formContext, formData, onChange, uiSchema } = props;
  const options = uiSchema?.['ui:options'];
  const of = options?.of;
  const source = options?.source ?? 'entity';
  const raw = of ? (formContext?.formData as Record<string, unknown> | undefined)?.[of] : undefined;
  const value = typeof raw === 'string' && raw !== '' ? raw : undefined;
  const awsApi = useApi(awsEnvironmentsApiRef);
  const catalogApi = useApi(catalogApiRef);

  const { value: name } = useAsync(async () => {
    if (!value) {
      return undefined;
    }
    if (source === 'awsAccount') {
      const account = (await awsApi.listAccounts()).find(a => a.accountId === value);
      return account ? accountDisplayName(account) : value;
    }
    const entity = await catalogApi.getEntityByRef(value);
    return entity ? ownerDisplayName(entity) : value;
  }, [value, source, awsApi, catalogApi]);

  // A name a picker of the form showed is known at once; others wait for the lookup.
  const known = value && source === 'entity' ? knownEntityLabel(value) : undefined;
  const shown = value ? known ?? name ?? value : undefined;
  useEffect(() => {
    if ((formData || undefined) !== shown) {
      onChange(shown);
    }
  }, [formData, shown, onChange]);

  return null;
}
