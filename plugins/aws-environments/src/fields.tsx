import { Progress } from '@backstage/core-components';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { lazy, Suspense } from 'react';
import type { AwsAccountPickerUiOptions } from './components/AwsAccountPicker/AwsAccountPicker';

export { validateAwsAccountId } from './components/AwsAccountPicker/validation';

/*
 * Field components load on first use, so the Create page pays for them only in the templates that use them.
 */
const LazyAwsAccountPicker = lazy(() =>
  import('./components/AwsAccountPicker').then(m => ({ default: m.AwsAccountPicker })),
);
const LazyEnvironmentCostEstimate = lazy(() =>
  import('./components/EnvironmentCostEstimate').then(m => ({
    default: m.EnvironmentCostEstimate,
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

export function EnvironmentCostEstimateField(props: FieldExtensionComponentProps<number>) {
  return (
    <Suspense fallback={<Progress />}>
      <LazyEnvironmentCostEstimate {...props} />
    </Suspense>
  );
}

/** Field names as templates use them in `ui:field`. */
export const AWS_ACCOUNT_PICKER_FIELD = 'AwsAccountPicker';
export const ENVIRONMENT_COST_ESTIMATE_FIELD = 'EnvironmentCostEstimate';
