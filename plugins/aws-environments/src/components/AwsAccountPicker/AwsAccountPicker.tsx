import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useMemo } from 'react';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { useAwsAccounts } from '../../hooks/useInsights';
import { InsightsErrorPanel } from '../shared';

export interface AwsAccountPickerUiOptions {
  /** Offer only accounts of these stages, e.g. `[dev, prod]`; all configured accounts when absent. */
  stages?: string[];
}

function optionLabel(account: AwsAccountSummary): string {
  const stage = account.stage ? ` · ${account.stage}` : '';
  return `${account.name} (${account.accountId})${stage}`;
}

/**
 * Form field offering only the AWS accounts the portal is configured for, with their stage. Its value is the
 * twelve-digit account id.
 */
export function AwsAccountPicker(
  props: FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>,
) {
  const { formData, onChange, schema, uiSchema, idSchema, rawErrors, required, disabled } = props;
  const { value: accounts, loading, error } = useAwsAccounts();
  const stages = uiSchema?.['ui:options']?.stages;
  const offered = useMemo(
    () =>
      (accounts ?? []).filter(
        account => !stages || (account.stage !== undefined && stages.includes(account.stage)),
      ),
    [accounts, stages],
  );

  // With a single possible account there is nothing to choose.
  useEffect(() => {
    if (!formData && offered.length === 1) {
      onChange(offered[0].accountId);
    }
  }, [formData, offered, onChange]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <InsightsErrorPanel error={error} />;
  }

  const chosen = offered.find(account => account.accountId === formData);
  const id = idSchema?.$id ?? 'aws-account-picker';
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? 'AWS account'}
      required={required}
      disabled={disabled}
      error={(rawErrors?.length ?? 0) > 0 && !formData}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      helperText={
        chosen
          ? `Stage ${chosen.stage ?? 'not set'}; Regions ${chosen.regions.join(', ')}`
          : schema.description ?? 'Only the accounts the portal is allowed to use are offered.'
      }
    >
      <option value="">Choose an account</option>
      {offered.map(account => (
        <option key={account.accountId} value={account.accountId}>
          {optionLabel(account)}
        </option>
      ))}
    </TextField>
  );
}
