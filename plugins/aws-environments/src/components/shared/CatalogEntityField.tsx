import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  OWNER_FIELDS,
  type OwnerOption,
  ownerOptions,
} from '../EnvironmentOwnerPicker/ownerDisplayName';

export interface CatalogEntityFieldUiOptions {
  /** Catalog filter of the entities offered; the field's own default when absent. */
  catalogFilter?: Record<string, string | string[]>;
}

/** What tells one catalog entity field from another. */
export interface CatalogEntityFieldSettings {
  /** Entities offered when the template sets no `catalogFilter`. */
  defaultFilter: Record<string, string | string[]>;
  /** Label when the schema has no title. */
  defaultLabel: string;
  /** Input id when the form gives none. */
  defaultId: string;
  /** Called with the option a person picked, before the form's value changes. */
  onPick?: (option: OwnerOption) => void;
}

/**
 * A form field whose value is the entity ref of a catalog entity, chosen by the name people know it by (its
 * title, else its name). The field never asks the browser to check it: the form's own check on Next says what is
 * missing, in a sentence, together with the step's other problems.
 */
export function CatalogEntityField(
  props: FieldExtensionComponentProps<string, CatalogEntityFieldUiOptions> & {
    settings: CatalogEntityFieldSettings;
  },
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
    settings,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const filter =
    uiSchema?.['ui:options']?.catalogFilter ?? settings.defaultFilter;
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
  return (
    <Autocomplete<OwnerOption>
      id={idSchema?.$id ?? settings.defaultId}
      options={options}
      loading={loading}
      value={selected}
      disabled={disabled || readonly}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      onChange={(_event, option) => {
        if (option) settings.onPick?.(option);
        onChange(option?.ref);
      }}
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title ?? settings.defaultLabel}
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
