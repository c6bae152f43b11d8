/**
 * The simulated AWS organization: the accounts, CloudFormation, EKS, RDS, Cost Explorer, security services and
 * the rest of AWS the portal talks to, answered in process (or shared by one process over HTTP) so that the portal
 * runs and is tested without an AWS account. Production backends do not load it.
 *
 * @packageDocumentation
 */
export { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';
export {
  awsClientFactoryWithSimulation,
  createAwsClientFactoryWithSimulation,
  createSimulatedAwsClientFactory,
  simulatedAwsClientFactoryFor,
} from './factory';
export {
  SimulatedAwsOrganization,
  type SimulatedAwsOrganizationOptions,
  type SimulatedRequest,
} from './SimulatedAwsOrganization';
export {
  createSharedSimulationHandler,
  SharedSimulatedAwsOrganization,
  type SimulatedAwsEndpoint,
} from './shared';
