/**
 * Scaffolder actions for environments of Innovate's AWS reference architecture.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsEnvironments as default } from './module';
export { createCloudFormationDeployAction } from './actions/cloudformationDeploy';
export { createEnvironmentDeployAction } from './actions/environmentDeploy';
export { createEnvironmentPlanAction } from './actions/environmentPlan';
export { createEnvironmentDestroyAction } from './actions/environmentDestroy';
export { createEnvironmentDriftAction } from './actions/environmentDrift';
export { createEnvironmentRegisterAction } from './actions/environmentRegister';
export type { ActionDependencies, BlueprintTools } from './lib/actionSupport';
export type { ProvisioningSettings } from './lib/settings';
export { readProvisioningSettings } from './lib/settings';
export {
  normalizeEnvironmentSpec,
  parseEnvironmentRequest,
  resolveEnvironmentSpec,
} from './lib/environmentSpec';
export { currentSettingsOf } from './lib/currentSettings';
export type {
  CurrentSettings,
  EffectiveSetting,
  SettingStatus,
} from './lib/currentSettings';
