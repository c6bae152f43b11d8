import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { OWNER_FIELDS, type OwnerOption, ownerOptions } from './ownerDisplayName';

export interface EnvironmentOwnerPickerUiOptions {
  /** Catalog filter of the owners offered; Groups when absent. */
  catalogFilter?: Record<string, string | string[]>;
}

/**
 * Form field `ui:field: EnvironmentOwner`: the team that owns an environment, chosen among the catalog's Groups by
 * the name people know it by. Its value is the Group's entity ref. The field never asks the browser to check it:
 * the form's own check on Next says what is missing, in a sentence, together with the other fields' problems.
 */
export function EnvironmentOwnerPicker(
  props: FieldExtensionComponentProps<string, EnvironmentOwnerPickerUiOptions>,
) {
  const { formData, onChange, schema, uiSchema, idSchema, rawErrors, required, disabled, readonly } = props;
  const catalogApi = useApi(catalogApiRef);
  const filter = uiSchema?.['ui:options']?.catalogFilter ?? { kind: 'Group' };
  const filterKey = JSON.stringify(filter);
  const { value: options = [], loading } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({ filter, fields: OWNER_FIELDS });
    return ownerOptions(items);
    // The filter object is rebuilt on each render; its contents decide when to read again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, filterKey]);

  // Until the catalog answers (or for a ref it does not hold) the ref itself is shown.
  const selected: OwnerOption | null = useMemo(
    () =>
      formData ? options.find(option => option.ref === formData) ?? { ref: formData, label: formData } : null,
    [formData, options],
  );
  const id = idSchema?.$id ?? 'environment-owner';
  return (
    <Autocomplete<OwnerOption>
      id={id}
      options={options}
      loading={loading}
      value={selected}
      disabled={disabled || readonly}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      onChange={(_event, option) => onChange(option?.ref)}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Owner'}
          variant="outlined"
          margin="normal"
          error={(rawErrors?.length ?? 0) > 0 && !formData}
          helperText={schema.description}
          // The asterisk only: a browser's "Please fill out this field" would stop the form's own check on Next.
          InputLabelProps={{ ...params.InputLabelProps, required }}
        />
      )}
    />
  );
}
