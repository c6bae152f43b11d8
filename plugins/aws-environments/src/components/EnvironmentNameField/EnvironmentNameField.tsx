import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

/**
 * Form field `ui:field: EnvironmentName`: the name of a new environment. Its validation (on Next) checks the naming
 * rules and asks the backend whether an environment already has the name.
 */
export function EnvironmentNameField(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, onBlur, schema, uiSchema, idSchema, rawErrors, required, disabled, readonly } =
    props;
  const id = idSchema?.$id ?? 'environment-name';
  return (
    <TextField
      id={id}
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title ?? 'Name'}
      disabled={disabled || readonly}
      // Only when the template asks for it (`ui:autofocus`), as RJSF's own text widget does.
      // eslint-disable-next-line jsx-a11y/no-autofocus
      autoFocus={uiSchema?.['ui:autofocus'] === true}
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
