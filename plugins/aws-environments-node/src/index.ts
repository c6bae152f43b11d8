/**
 * The AWS boundary of the AWS environments plugins: the only place AWS SDK clients are made (real or simulated),
 * plus the environment blueprint shared by provisioning and the simulation.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './blueprint';
export * from './facts/versions';
export {
  VERSION_SNAPSHOT,
  VERSION_SNAPSHOT_DATE,
  EKS_KUBERNETES_VERSIONS,
  RDS_POSTGRES_MAJOR_VERSIONS,
  AURORA_POSTGRES_MAJOR_VERSIONS,
  snapshotDefaultKubernetesVersion,
  snapshotDefaultPostgresMajorVersion,
  type KubernetesVersionFact,
  type DatabaseMajorVersionFact,
} from './facts/versionSnapshot';
export { AccountAllowlist } from './AccountAllowlist';
export {
  DefaultAwsClientFactory,
  type DefaultAwsClientFactoryOptions,
} from './DefaultAwsClientFactory';
export { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';
export {
  awsClientFactoryServiceRef,
  createAwsClientFactory,
  createSimulatedAwsClientFactory,
} from './factory';
export {
  readAwsEnvironmentsSettings,
  DEFAULT_SIMULATED_ACCOUNTS,
  type AwsEnvironmentsSettings,
  type AwsRetrySettings,
  type SimulationSettings,
} from './config';
export { serviceKeyOf, PORTAL_USER_AGENT } from './clientOptions';
export {
  SimulatedAwsOrganization,
  type SimulatedAwsOrganizationOptions,
  type SimulatedRequest,
} from './simulation/SimulatedAwsOrganization';
export {
  createSharedSimulationHandler,
  SharedSimulatedAwsOrganization,
  type SimulatedAwsEndpoint,
} from './simulation/shared';
export * from './permissions/rules';
export {
  readRegionPrices,
  type ReadRegionPricesOptions,
  type RegionPricesReading,
} from './facts/prices';
export { withReadableErrors, withReadableFailures } from './readableErrors';
