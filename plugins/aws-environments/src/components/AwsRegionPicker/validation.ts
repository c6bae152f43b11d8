import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { AwsRegionPickerUiOptions } from './AwsRegionPicker';
import { regionsOf } from './regions';

/**
 * Refuses a Region the chosen account does not allow (a value kept from another account, a link with prefilled
 * values). Without an account, or when the accounts cannot be read, the account field and the backend decide.
 */
export const validateAwsRegion: CustomFieldValidator<string, AwsRegionPickerUiOptions> = async (
  value,
  validation,
  context,
) => {
  // A template that starts the field empty (`default: ''`) has it named with the step's other problems on Next.
  if (value === '') {
    validation.addError('Choose the Region the environment runs in.');
    return;
  }
  if (!value) {
    return;
  }
  const accountField = context.uiSchema?.['ui:options']?.accountField ?? 'accountId';
  const accountId = context.formData?.[accountField];
  const api = context.apiHolder.get(awsEnvironmentsApiRef);
  if (typeof accountId !== 'string' || !api) {
    return;
  }
  let accounts;
  try {
    accounts = await api.listAccounts();
  } catch {
    return;
  }
  const account = accounts.find(candidate => candidate.accountId === accountId);
  if (!account) {
    return;
  }
  const regions = regionsOf(account);
  if (!regions.includes(value)) {
    validation.addError(
      `The portal may not use ${value} in ${account.name} (${account.accountId}); choose ${
        regions.length === 1 ? regions[0] : `one of ${regions.join(', ')}`
      }.`,
    );
  }
};
