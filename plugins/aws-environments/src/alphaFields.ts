import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { AwsAccountPicker } from './components/AwsAccountPicker/AwsAccountPicker';
import { validateAwsAccountId } from './components/AwsAccountPicker/validation';
import { AwsDatabaseVersionPicker } from './components/AwsDatabaseVersionPicker/AwsDatabaseVersionPicker';
import { validateDatabaseVersion } from './components/AwsDatabaseVersionPicker/validation';
import { AwsKubernetesVersionPicker } from './components/AwsKubernetesVersionPicker/AwsKubernetesVersionPicker';
import { validateKubernetesVersion } from './components/AwsKubernetesVersionPicker/validation';
import { AwsRegionPicker } from './components/AwsRegionPicker/AwsRegionPicker';
import { validateAwsRegion } from './components/AwsRegionPicker/validation';
import { ChoiceField } from './components/ChoiceField/ChoiceField';
import { EnvironmentPicker } from './components/EnvironmentPicker/EnvironmentPicker';
import { AwsTagValueField } from './components/AwsTagValueField/AwsTagValueField';
import { validateAwsTagValue } from './components/AwsTagValueField/validation';
import { EnvironmentCostEstimate } from './components/EnvironmentCostEstimate/EnvironmentCostEstimate';
import { EnvironmentCreatePreview } from './components/EnvironmentCreatePreview/EnvironmentCreatePreview';
import { EnvironmentOwnerPicker } from './components/EnvironmentOwnerPicker/EnvironmentOwnerPicker';
import { validateEnvironmentOwner } from './components/EnvironmentOwnerPicker/validation';
import { ReviewDisplayName } from './components/ReviewDisplayName/ReviewDisplayName';
import { EnvironmentNameField } from './components/EnvironmentNameField/EnvironmentNameField';
import { validateEnvironmentName } from './components/EnvironmentNameField/validation';
import { TeardownConfirmationField } from './components/TeardownConfirmationField/TeardownConfirmationField';
import { validateTeardownConfirmation } from './components/TeardownConfirmationField/validation';
import { VpcCidrField } from './components/VpcCidrField/VpcCidrField';
import { validateVpcCidr } from './components/VpcCidrField/validation';
import {
  AWS_ACCOUNT_PICKER_FIELD,
  AWS_DATABASE_VERSION_PICKER_FIELD,
  AWS_KUBERNETES_VERSION_PICKER_FIELD,
  AWS_REGION_PICKER_FIELD,
  AWS_TAG_VALUE_FIELD,
  CHOICE_FIELD,
  ENVIRONMENT_COST_ESTIMATE_FIELD,
  ENVIRONMENT_CREATE_PREVIEW_FIELD,
  ENVIRONMENT_NAME_FIELD,
  ENVIRONMENT_OWNER_FIELD,
  ENVIRONMENT_PICKER_FIELD,
  REVIEW_DISPLAY_NAME_FIELD,
  TEARDOWN_CONFIRMATION_FIELD,
  VPC_CIDR_FIELD,
} from './fields';

export const awsAccountPickerFormField = createFormField({
  name: AWS_ACCOUNT_PICKER_FIELD,
  component: AwsAccountPicker,
  validation: validateAwsAccountId,
});

export const environmentCostEstimateFormField = createFormField({
  name: ENVIRONMENT_COST_ESTIMATE_FIELD,
  component: EnvironmentCostEstimate,
});

export const environmentCreatePreviewFormField = createFormField({
  name: ENVIRONMENT_CREATE_PREVIEW_FIELD,
  component: EnvironmentCreatePreview,
});

export const awsRegionPickerFormField = createFormField({
  name: AWS_REGION_PICKER_FIELD,
  component: AwsRegionPicker,
  validation: validateAwsRegion,
});

export const environmentNameFormField = createFormField({
  name: ENVIRONMENT_NAME_FIELD,
  component: EnvironmentNameField,
  validation: validateEnvironmentName,
});

export const vpcCidrFormField = createFormField({
  name: VPC_CIDR_FIELD,
  component: VpcCidrField,
  validation: validateVpcCidr,
});

export const teardownConfirmationFormField = createFormField({
  name: TEARDOWN_CONFIRMATION_FIELD,
  component: TeardownConfirmationField,
  validation: validateTeardownConfirmation,
});

export const awsTagValueFormField = createFormField({
  name: AWS_TAG_VALUE_FIELD,
  component: AwsTagValueField,
  validation: validateAwsTagValue,
});

export const awsKubernetesVersionPickerFormField = createFormField({
  name: AWS_KUBERNETES_VERSION_PICKER_FIELD,
  component: AwsKubernetesVersionPicker,
  validation: validateKubernetesVersion,
});

export const awsDatabaseVersionPickerFormField = createFormField({
  name: AWS_DATABASE_VERSION_PICKER_FIELD,
  component: AwsDatabaseVersionPicker,
  validation: validateDatabaseVersion,
});

export const environmentOwnerFormField = createFormField({
  name: ENVIRONMENT_OWNER_FIELD,
  component: EnvironmentOwnerPicker,
  validation: validateEnvironmentOwner,
});

export const reviewDisplayNameFormField = createFormField({
  name: REVIEW_DISPLAY_NAME_FIELD,
  component: ReviewDisplayName,
});

export const choiceFormField = createFormField({
  name: CHOICE_FIELD,
  component: ChoiceField,
});

export const environmentPickerFormField = createFormField({
  name: ENVIRONMENT_PICKER_FIELD,
  component: EnvironmentPicker,
});
