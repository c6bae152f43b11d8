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
  /**
   * Offer only the accounts that may hold an environment of the stage chosen in the form's `stage` field:
   * prod environments in prod accounts, dev and staging ones in dev (or staging) accounts.
   */
  matchStage?: boolean;
}

/** The account stages that may hold an environment of a stage, following the brief's account structure. */
export function accountStagesFor(environmentStage: string): string[] {
  switch (environmentStage) {
    case 'prod':
      return ['prod'];
    case 'staging':
      return ['staging', 'dev'];
    default:
      return [environmentStage];
  }
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
  const { formData, onChange, schema, uiSchema, idSchema, rawErrors, required, disabled, formContext } =
    props;
  const { value: accounts, loading, error } = useAwsAccounts();
  const options = uiSchema?.['ui:options'];
  const environmentStage = (formContext?.formData as { stage?: unknown } | undefined)?.stage;
  const stages =
    options?.matchStage && typeof environmentStage === 'string'
      ? accountStagesFor(environmentStage)
      : options?.stages;
  const offered = useMemo(
    () =>
      (accounts ?? []).filter(
        account => !stages || (account.stage !== undefined && stages.includes(account.stage)),
      ),
    [accounts, stages],
  );

  // With a single possible account there is nothing to choose; an account the stage no longer allows is cleared.
  useEffect(() => {
    if (!accounts) {
      return;
    }
    if (formData && !offered.some(account => account.accountId === formData)) {
      onChange(offered.length === 1 ? offered[0].accountId : undefined);
    } else if (!formData && offered.length === 1) {
      onChange(offered[0].accountId);
    }
  }, [accounts, formData, offered, onChange]);

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
      disabled={disabled}
      error={(rawErrors?.length ?? 0) > 0 && !formData}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
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
