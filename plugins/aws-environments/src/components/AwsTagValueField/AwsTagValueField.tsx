import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

/**
 * Form field `ui:field: AwsTagValue`: text that becomes an AWS tag value (the cost center). Its validation applies
 * AWS's tagging rules with a sentence naming the field.
 */
export function AwsTagValueField(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, onBlur, schema, idSchema, rawErrors, required, disabled, readonly } = props;
  const id = idSchema?.$id ?? 'aws-tag-value';
  return (
    <TextField
      id={id}
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? 'Tag value'}
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={event => onBlur?.(id, event.target.value)}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
      inputProps={{ autoComplete: 'off' }}
    />
  );
}
