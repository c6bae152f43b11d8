/**
 * Catalog module that discovers AWS environments from their CloudFormation stacks.
 *
 * @packageDocumentation
 */
export { catalogModuleAwsEnvironments as default } from './module';
export { AwsEnvironmentEntityProvider } from './provider/AwsEnvironmentEntityProvider';
