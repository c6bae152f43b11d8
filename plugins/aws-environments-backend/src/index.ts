/**
 * Environment insights backend: health, costs and security findings of every AWS environment in the catalog,
 * collected on schedules into the plugin's own tables and served at `/api/aws-environments`.
 *
 * @packageDocumentation
 */
export { awsEnvironmentsPlugin as default } from './plugin';
export {
  awsEnvironmentResourceRef,
  awsEnvironmentsConditions,
  awsEnvironmentsPermissionRules,
  createAwsEnvironmentsConditionalDecision,
  findingsReadDecision,
  isEnvironmentOwner,
} from './permissions';
export { DEFAULT_PLATFORM_TEAM, readInsightsConfig } from './config';
export type { InsightsConfig } from './config';
