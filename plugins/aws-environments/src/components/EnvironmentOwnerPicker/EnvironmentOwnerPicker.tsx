import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  CatalogEntityField,
  type CatalogEntityFieldSettings,
  type CatalogEntityFieldUiOptions,
} from '../shared/CatalogEntityField';

export type EnvironmentOwnerPickerUiOptions = CatalogEntityFieldUiOptions;

const OWNERS: CatalogEntityFieldSettings = {
  defaultFilter: { kind: 'Group' },
  defaultLabel: 'Owner',
  defaultId: 'environment-owner',
};

/**
 * Form field `ui:field: EnvironmentOwner`: the team that owns an environment, chosen among the catalog's Groups by
 * the name people know it by. Its value is the Group's entity ref. The field never asks the browser to check it:
 * the form's own check on Next says what is missing, in a sentence, together with the other fields' problems.
 */
export function EnvironmentOwnerPicker(
  props: FieldExtensionComponentProps<string, EnvironmentOwnerPickerUiOptions>,
) {
  return <CatalogEntityField {...props} settings={OWNERS} />;
}
