import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

export interface VpcCidrFieldUiOptions {
  /** The Update form's choice: an empty range keeps the environment's current one. */
  allowEmpty?: boolean;
  /**
   * The form field holding the entity ref of the environment being updated, whose own range is no overlap;
   * `environment` when absent.
   */
  environmentField?: string;
}

/**
 * Form field `ui:field: VpcCidr`: the environment's VPC range. Its validation (on Next) checks that it is a private
 * /16 and overlaps no other environment's range in the same account and Region.
 */
export function VpcCidrField(props: FieldExtensionComponentProps<string, VpcCidrFieldUiOptions>) {
  const { formData, onChange, onBlur, schema, idSchema, rawErrors, required, disabled, readonly } = props;
  const id = idSchema?.$id ?? 'vpc-cidr';
  return (
    <TextField
      id={id}
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? 'VPC range'}
      placeholder="10.40.0.0/16"
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={event => onBlur?.(id, event.target.value)}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
    />
  );
}
