import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect } from 'react';
import { useAwsAccounts } from '../../hooks/useInsights';
import { InsightsErrorPanel } from '../shared';
import { regionsOf } from './regions';

export interface AwsRegionPickerUiOptions {
  /** The form field holding the AWS account id whose Regions are offered; `accountId` when absent. */
  accountField?: string;
}

/**
 * Form field `ui:field: AwsRegionPicker`: one of the Regions the portal may use in the account chosen in the form
 * (`accountId`). It starts on the account's default Region and goes back to it when another account is chosen that
 * does not allow the Region picked.
 */
export function AwsRegionPicker(
  props: FieldExtensionComponentProps<string, AwsRegionPickerUiOptions>,
) {
  const { formData, onChange, schema, uiSchema, idSchema, rawErrors, required, disabled, readonly, formContext } =
    props;
  const { value: accounts, loading, error } = useAwsAccounts();
  const accountField = uiSchema?.['ui:options']?.accountField ?? 'accountId';
  const accountId = (formContext?.formData as Record<string, unknown> | undefined)?.[accountField];
  const account =
    typeof accountId === 'string'
      ? accounts?.find(candidate => candidate.accountId === accountId)
      : undefined;
  const regions = regionsOf(account);

  // A Region the chosen account does not allow (or none yet) becomes the account's default.
  useEffect(() => {
    if (!account || regions.length === 0) {
      return;
    }
    if (!formData || !regions.includes(formData)) {
      onChange(regions.includes(account.defaultRegion) ? account.defaultRegion : regions[0]);
    }
  }, [account, regions, formData, onChange]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <InsightsErrorPanel error={error} />;
  }

  const id = idSchema?.$id ?? 'aws-region-picker';
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? 'Region'}
      disabled={disabled || readonly || !account}
      error={(rawErrors?.length ?? 0) > 0}
      value={account && formData && regions.includes(formData) ? formData : ''}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
      helperText={
        account
          ? `The Regions the portal may use in ${account.name} (${account.accountId}).`
          : 'Choose an AWS account first: each account allows its own Regions.'
      }
    >
      {!account && <option value="">Choose an AWS account first</option>}
      {regions.map(region => (
        <option key={region} value={region}>
          {region}
        </option>
      ))}
    </TextField>
  );
}
