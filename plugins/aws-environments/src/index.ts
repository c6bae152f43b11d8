/**
 * Environment insights for Innovate's AWS environments: health, costs and findings cards, the Infrastructure tab,
 * the Environments page and the New AWS environment form fields.
 *
 * @packageDocumentation
 */
export {
  awsEnvironmentsPlugin,
  AwsEnvironmentsPage,
  EntityEnvironmentHealthCard,
  EntityEnvironmentCostCard,
  EntityEnvironmentSecurityCard,
  EntityEnvironmentHistoryCard,
  EntityEnvironmentInfrastructureContent,
  AwsAccountPickerFieldExtension,
  EnvironmentCostEstimateFieldExtension,
  EnvironmentCreatePreviewFieldExtension,
  AwsRegionPickerFieldExtension,
  EnvironmentNameFieldExtension,
  VpcCidrFieldExtension,
  TeardownConfirmationFieldExtension,
  AwsTagValueFieldExtension,
  AwsKubernetesVersionPickerFieldExtension,
  AwsDatabaseVersionPickerFieldExtension,
} from './plugin';
export { isAwsEnvironmentAvailable } from './isEnvironmentAvailable';
export { awsEnvironmentsApiRef, AwsEnvironmentsClient } from './api';
export type {
  AwsEnvironmentsApi,
  EnvironmentRef,
  EnvironmentStacks,
  FindingsQuery,
  HistoryQuery,
  StackDetail,
  StackEvent,
  StackOutput,
  StackResource,
  VersionsQuery,
} from './api';
