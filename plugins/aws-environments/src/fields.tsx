import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { lazy, Suspense } from 'react';
import type { AwsAccountPickerUiOptions } from './components/AwsAccountPicker/AwsAccountPicker';
import type { AwsDatabaseVersionPickerUiOptions } from './components/AwsDatabaseVersionPicker/engine';
import type { AwsKubernetesVersionPickerUiOptions } from './components/AwsKubernetesVersionPicker/AwsKubernetesVersionPicker';
import type { EnvironmentCreatePreviewUiOptions } from './components/EnvironmentCreatePreview/EnvironmentCreatePreview';
import type { AwsRegionPickerUiOptions } from './components/AwsRegionPicker/AwsRegionPicker';
import type { TeardownConfirmationUiOptions } from './components/TeardownConfirmationField/environmentName';
import type { VpcCidrFieldUiOptions } from './components/VpcCidrField/VpcCidrField';

// Validations load with the plugin: they are small and run on Next, when the field may never have been shown.
export { validateAwsAccountId } from './components/AwsAccountPicker/validation';
export { validateDatabaseVersion } from './components/AwsDatabaseVersionPicker/validation';
export { validateKubernetesVersion } from './components/AwsKubernetesVersionPicker/validation';
export { validateAwsRegion } from './components/AwsRegionPicker/validation';
export { validateAwsTagValue } from './components/AwsTagValueField/validation';
export { validateEnvironmentName } from './components/EnvironmentNameField/validation';
export { validateTeardownConfirmation } from './components/TeardownConfirmationField/validation';
export { validateVpcCidr } from './components/VpcCidrField/validation';

/*
 * Field components load on first use, so the Create page pays for them only in the templates that use them.
 */
const LazyAwsAccountPicker = lazy(() =>
  import('./components/AwsAccountPicker').then(m => ({
    default: m.AwsAccountPicker,
  })),
);
const LazyAwsRegionPicker = lazy(() =>
  import('./components/AwsRegionPicker').then(m => ({
    default: m.AwsRegionPicker,
  })),
);
const LazyAwsKubernetesVersionPicker = lazy(() =>
  import('./components/AwsKubernetesVersionPicker').then(m => ({
    default: m.AwsKubernetesVersionPicker,
  })),
);
const LazyAwsDatabaseVersionPicker = lazy(() =>
  import('./components/AwsDatabaseVersionPicker').then(m => ({
    default: m.AwsDatabaseVersionPicker,
  })),
);
const LazyEnvironmentNameField = lazy(() =>
  import('./components/EnvironmentNameField').then(m => ({
    default: m.EnvironmentNameField,
  })),
);
const LazyVpcCidrField = lazy(() =>
  import('./components/VpcCidrField').then(m => ({ default: m.VpcCidrField })),
);
const LazyTeardownConfirmationField = lazy(() =>
  import('./components/TeardownConfirmationField').then(m => ({
    default: m.TeardownConfirmationField,
  })),
);
const LazyAwsTagValueField = lazy(() =>
  import('./components/AwsTagValueField').then(m => ({
    default: m.AwsTagValueField,
  })),
);
const LazyEnvironmentCostEstimate = lazy(() =>
  import('./components/EnvironmentCostEstimate').then(m => ({
    default: m.EnvironmentCostEstimate,
  })),
);
const LazyEnvironmentCreatePreview = lazy(() =>
  import('./components/EnvironmentCreatePreview').then(m => ({
    default: m.EnvironmentCreatePreview,
  })),
);

export function AwsAccountPickerField(
  props: FieldExtensionComponentProps<string, AwsAccountPickerUiOptions>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyAwsAccountPicker {...props} />
    </Suspense>
  );
}

export function AwsRegionPickerField(
  props: FieldExtensionComponentProps<string, AwsRegionPickerUiOptions>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyAwsRegionPicker {...props} />
    </Suspense>
  );
}

export function AwsKubernetesVersionPickerField(
  props: FieldExtensionComponentProps<
    string,
    AwsKubernetesVersionPickerUiOptions
  >,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyAwsKubernetesVersionPicker {...props} />
    </Suspense>
  );
}

export function AwsDatabaseVersionPickerField(
  props: FieldExtensionComponentProps<
    string,
    AwsDatabaseVersionPickerUiOptions
  >,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyAwsDatabaseVersionPicker {...props} />
    </Suspense>
  );
}

export function EnvironmentNameFieldComponent(
  props: FieldExtensionComponentProps<string>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyEnvironmentNameField {...props} />
    </Suspense>
  );
}

export function VpcCidrFieldComponent(
  props: FieldExtensionComponentProps<string, VpcCidrFieldUiOptions>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyVpcCidrField {...props} />
    </Suspense>
  );
}

export function TeardownConfirmationFieldComponent(
  props: FieldExtensionComponentProps<string, TeardownConfirmationUiOptions>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyTeardownConfirmationField {...props} />
    </Suspense>
  );
}

export function AwsTagValueFieldComponent(
  props: FieldExtensionComponentProps<string>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyAwsTagValueField {...props} />
    </Suspense>
  );
}

export function EnvironmentCostEstimateField(
  props: FieldExtensionComponentProps<number>,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyEnvironmentCostEstimate {...props} />
    </Suspense>
  );
}

export function EnvironmentCreatePreviewField(
  props: FieldExtensionComponentProps<
    string,
    EnvironmentCreatePreviewUiOptions
  >,
) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyEnvironmentCreatePreview {...props} />
    </Suspense>
  );
}

/** Field names as templates use them in `ui:field`. */
export const AWS_ACCOUNT_PICKER_FIELD = 'AwsAccountPicker';
export const ENVIRONMENT_COST_ESTIMATE_FIELD = 'EnvironmentCostEstimate';
export const ENVIRONMENT_CREATE_PREVIEW_FIELD = 'EnvironmentCreatePreview';
export const AWS_REGION_PICKER_FIELD = 'AwsRegionPicker';
export const ENVIRONMENT_NAME_FIELD = 'EnvironmentName';
export const VPC_CIDR_FIELD = 'VpcCidr';
export const TEARDOWN_CONFIRMATION_FIELD = 'TeardownConfirmation';
export const AWS_TAG_VALUE_FIELD = 'AwsTagValue';
export const ENVIRONMENT_OWNER_FIELD = 'EnvironmentOwner';
export const REVIEW_DISPLAY_NAME_FIELD = 'ReviewDisplayName';
export const CHOICE_FIELD = 'Choice';
export const ENVIRONMENT_PICKER_FIELD = 'EnvironmentPicker';
export const AWS_KUBERNETES_VERSION_PICKER_FIELD = 'AwsKubernetesVersionPicker';
export const AWS_DATABASE_VERSION_PICKER_FIELD = 'AwsDatabaseVersionPicker';
