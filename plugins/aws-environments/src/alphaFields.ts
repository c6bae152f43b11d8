import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { AwsAccountPicker } from './components/AwsAccountPicker/AwsAccountPicker';
import { validateAwsAccountId } from './components/AwsAccountPicker/validation';
import { EnvironmentCostEstimate } from './components/EnvironmentCostEstimate/EnvironmentCostEstimate';
import {
  AWS_ACCOUNT_PICKER_FIELD,
  ENVIRONMENT_COST_ESTIMATE_FIELD,
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
