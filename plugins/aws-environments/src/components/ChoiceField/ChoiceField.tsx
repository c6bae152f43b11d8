import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';

type ChoiceValue = string | number | boolean;

/** The choices of a field: its schema's `enum`, named by `ui:enumNames` (else `enumNames`, else the value itself). */
export function choicesOf(
  schema: { enum?: unknown[]; enumNames?: unknown[] },
  uiSchema?: { 'ui:enumNames'?: unknown[] },
): Array<{ value: ChoiceValue; label: string }> {
  const names = uiSchema?.['ui:enumNames'] ?? schema.enumNames ?? [];
  return (schema.enum ?? [])
    .filter((value): value is ChoiceValue =>
      ['string', 'number', 'boolean'].includes(typeof value),
    )
    .map((value, index) => ({
      value,
      label:
        typeof names[index] === 'string'
          ? (names[index] as string)
          : String(value),
    }));
}

/**
 * Form field `ui:field: Choice`: one of the schema's `enum` values in a select that always shows the chosen
 * choice's name, the empty value's name too (the Update form's "Keep current", which the form's own select shows
 * as a blank box). The value is the enum value itself, of its own type.
 */
export function ChoiceField(props: FieldExtensionComponentProps<ChoiceValue>) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    idSchema,
    rawErrors,
    required,
    disabled,
    readonly,
  } = props;
  const choices = choicesOf(
    schema as { enum?: unknown[]; enumNames?: unknown[] },
    uiSchema as { 'ui:enumNames'?: unknown[] } | undefined,
  );
  const current = formData ?? (schema.default as ChoiceValue | undefined);
  const index = choices.findIndex(choice => choice.value === current);
  const id = idSchema?.$id ?? 'choice';
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      margin="normal"
      label={schema.title}
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      // The options stand for the enum's values by their position, so that '' and non-string values are chosen too.
      value={index >= 0 ? String(index) : ''}
      onChange={event => {
        const chosen = choices[Number(event.target.value)];
        onChange(chosen ? chosen.value : undefined);
      }}
      SelectProps={{ native: true }}
      // The asterisk only: the browser's own check would stop the form's sentences on Next.
      InputLabelProps={{ shrink: true, required }}
      helperText={schema.description}
    >
      {index < 0 && <option value="" disabled />}
      {choices.map((choice, position) => (
        <option key={position} value={String(position)}>
          {choice.label}
        </option>
      ))}
    </TextField>
  );
}
