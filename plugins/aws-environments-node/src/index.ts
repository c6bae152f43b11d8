/**
 * The AWS boundary of the AWS environments plugins: the only place real AWS SDK clients are made, the account
 * allowlist, the facts read from AWS with their dated fallback, and the environment blueprint shared by provisioning
 * and the simulation (`@internal/plugin-aws-environments-simulator`).
 *
 * @packageDocumentation
 */
export * from './types';
export * from './blueprint';
export * from './facts/versions';
export * from './facts/versionSnapshot';
export * from './facts/snapshotResponses';
export { AccountAllowlist } from './AccountAllowlist';
export {
  DefaultAwsClientFactory,
  type DefaultAwsClientFactoryOptions,
} from './DefaultAwsClientFactory';
export {
  awsClientFactoryServiceRef,
  createAwsClientFactory,
} from './factory';
export {
  readAwsEnvironmentsSettings,
  DEFAULT_SIMULATED_ACCOUNTS,
  DEFAULT_SIMULATION_SETTINGS,
  type AwsEnvironmentsSettings,
  type AwsRetrySettings,
  type SimulationSettings,
} from './config';
export {
  serviceKeyOf,
  clientRegionFor,
  PORTAL_USER_AGENT,
} from './clientOptions';
export { ClientCache } from './ClientCache';
export * from './permissions/rules';
export {
  readRegionPrices,
  type ReadRegionPricesOptions,
  type RegionPricesReading,
} from './facts/prices';
export { withReadableErrors, withReadableFailures } from './readableErrors';
