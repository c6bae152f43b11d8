import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  CatalogEntityField,
  type CatalogEntityFieldSettings,
  type CatalogEntityFieldUiOptions,
} from '../shared/CatalogEntityField';
import { rememberEntityLabel } from './entityLabels';

export type EnvironmentPickerUiOptions = CatalogEntityFieldUiOptions;

const ENVIRONMENTS: CatalogEntityFieldSettings = {
  defaultFilter: { kind: 'Resource', 'spec.type': 'aws-environment' },
  defaultLabel: 'Environment',
  defaultId: 'environment-picker',
  // The Review step names the environment by what the person picked, even before the catalog answers there.
  onPick: option => rememberEntityLabel(option.ref, option.label),
};

/**
 * Form field `ui:field: EnvironmentPicker`: an environment of the catalog, chosen by the name people know it by
 * (its title, else its name). Its value is the environment's entity ref, e.g. `resource:default/innovate-dev`.
 * The field never asks the browser to check it: when it is left empty, the form's own check on Next says so in a
 * sentence (the template's `errorMessage.required`), together with the step's other problems.
 */
export function EnvironmentPicker(
  props: FieldExtensionComponentProps<string, EnvironmentPickerUiOptions>,
) {
  return <CatalogEntityField {...props} settings={ENVIRONMENTS} />;
}
