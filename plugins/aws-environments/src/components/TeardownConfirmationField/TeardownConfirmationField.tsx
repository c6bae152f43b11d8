import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { chosenEnvironmentName, type TeardownConfirmationUiOptions } from './environmentName';

/**
 * Form field `ui:field: TeardownConfirmation`: the environment's name typed again. Its validation keeps the form on
 * the step until it matches the environment chosen in the form.
 */
export function TeardownConfirmationField(
  props: FieldExtensionComponentProps<string, TeardownConfirmationUiOptions>,
) {
  const { formData, onChange, onBlur, schema, uiSchema, idSchema, rawErrors, required, disabled, readonly, formContext } =
    props;
  const name = chosenEnvironmentName(
    formContext?.formData as Record<string, unknown> | undefined,
    uiSchema?.['ui:options'],
  );
  const id = idSchema?.$id ?? 'teardown-confirmation';
  const hint = name ? `Type ${name} to confirm.` : 'Choose the environment first.';
  return (
    <TextField
      id={id}
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? "Type the environment's name to confirm"}
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value === '' ? undefined : event.target.value)}
      onBlur={event => onBlur?.(id, event.target.value)}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
      inputProps={{ autoComplete: 'off', spellCheck: false }}
      // With an error showing, the error says what to type; the hint would only repeat it.
      helperText={(rawErrors?.length ?? 0) > 0 ? undefined : hint}
    />
  );
}
