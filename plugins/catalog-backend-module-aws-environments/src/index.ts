/**
 * Catalog module that discovers AWS environments from their CloudFormation stacks.
 *
 * @packageDocumentation
 */
export {
  catalogModuleAwsEnvironments as default,
  ENVIRONMENTS_CHANGED_TOPIC,
} from './module';
export { AwsEnvironmentEntityProvider } from './provider/AwsEnvironmentEntityProvider';
