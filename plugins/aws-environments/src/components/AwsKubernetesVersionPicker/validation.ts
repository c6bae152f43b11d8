import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  chooseFrom,
  compareVersions,
  currentComponent,
  environmentRefOf,
  newestFirst,
  placeFields,
  resolveVersionsPlace,
} from '../shared/versions';
import type { AwsKubernetesVersionPickerUiOptions } from './AwsKubernetesVersionPicker';

/**
 * Refuses a Kubernetes version EKS does not create clusters on in the form's account and Region (a value kept from
 * another Region, a link with prefilled values, a template default AWS has since retired), naming the versions it
 * offers. On the Update form it also refuses an older version than the cluster runs: EKS never downgrades a
 * cluster. When the versions cannot be read the form lets the value through: the deploy action checks it again.
 */
export const validateKubernetesVersion: CustomFieldValidator<
  string,
  AwsKubernetesVersionPickerUiOptions
> = async (value, validation, context) => {
  if (!value) {
    return;
  }
  const api = context.apiHolder.get(awsEnvironmentsApiRef);
  if (!api) {
    return;
  }
  const options = context.uiSchema?.['ui:options'];
  const form = (context.formData ?? {}) as Record<string, unknown>;
  try {
    const place = await resolveVersionsPlace(api, form, options);
    if (!place) {
      return;
    }
    const { kubernetes } = await api.getAwsVersions(place);
    const offered = newestFirst(kubernetes).map(version => version.version);
    if (!offered.includes(value)) {
      validation.addError(
        offered.length === 0
          ? `EKS offers no Kubernetes version for new clusters in ${place.region} at the moment; try again later.`
          : `EKS does not offer Kubernetes ${value} in ${
              place.region
            }; ${chooseFrom(offered)}.`,
      );
      return;
    }
    if (options?.allowEmpty) {
      const { environmentRef } = placeFields(form, options);
      const ref = environmentRefOf(environmentRef);
      const current = ref
        ? currentComponent(await api.getHealth(ref), 'kubernetes')
        : undefined;
      if (current && compareVersions(value, current.version) < 0) {
        validation.addError(
          `${ref!.name} runs Kubernetes ${
            current.version
          } and EKS cannot move a cluster to an older version; choose ${
            current.version
          } or newer, or Keep current.`,
        );
      }
    }
  } catch {
    // The versions could not be read; the deploy action checks the version again before changing anything.
  }
};
