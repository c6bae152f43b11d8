import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { rememberEntityLabel } from './entityLabels';
import {
  OWNER_FIELDS,
  type OwnerOption,
  ownerOptions,
} from '../EnvironmentOwnerPicker/ownerDisplayName';

export interface EnvironmentPickerUiOptions {
  /** Catalog filter of the entities offered; the catalog's AWS environments when absent. */
  catalogFilter?: Record<string, string | string[]>;
}

const ENVIRONMENTS = { kind: 'Resource', 'spec.type': 'aws-environment' };

/**
 * Form field `ui:field: EnvironmentPicker`: an environment of the catalog, chosen by the name people know it by
 * (its title, else its name). Its value is the environment's entity ref, e.g. `resource:default/innovate-dev`.
 * The field never asks the browser to check it: when it is left empty, the form's own check on Next says so in a
 * sentence (the template's `errorMessage.required`), together with the step's other problems.
 */
export function EnvironmentPicker(
  props: FieldExtensionComponentProps<string, EnvironmentPickerUiOptions>,
) {
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
  const catalogApi = useApi(catalogApiRef);
  const filter = uiSchema?.['ui:options']?.catalogFilter ?? ENVIRONMENTS;
  const filterKey = JSON.stringify(filter);
  const { value: options = [], loading } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter,
      fields: OWNER_FIELDS,
    });
    return ownerOptions(items);
    // The filter object is rebuilt on each render; its contents decide when to read again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, filterKey]);

  // Until the catalog answers (or for a ref it does not hold) the ref itself is shown.
  const selected: OwnerOption | null = useMemo(
    () =>
      formData
        ? options.find(option => option.ref === formData) ?? {
            ref: formData,
            label: formData,
          }
        : null,
    [formData, options],
  );
  const id = idSchema?.$id ?? 'environment-picker';
  return (
    <Autocomplete<OwnerOption>
      id={id}
      options={options}
      loading={loading}
      value={selected}
      disabled={disabled || readonly}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      onChange={(_event, option) => {
        if (option) {
          rememberEntityLabel(option.ref, option.label);
        }
        onChange(option?.ref);
      }}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? 'Environment'}
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
