import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  awsClientFactoryServiceRef,
  createAwsClientFactory,
  type AwsClientFactory,
  type AwsEnvironmentsSettings,
} from '@internal/plugin-aws-environments-node';
import { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';
import type { SimulatedAwsOrganizationOptions } from './SimulatedAwsOrganization';
import { SharedSimulatedAwsOrganization } from './shared';

/** A factory bound to a simulated organization, for tests, benchmarks and dev harnesses. */
export function createSimulatedAwsClientFactory(
  options: SimulatedAwsOrganizationOptions = {},
): SimulatedAwsClientFactory {
  return new SimulatedAwsClientFactory(options);
}

/**
 * The simulated organization `awsEnvironments.simulation` describes: the one shared by another process at
 * `sharedUrl`, or one built here in this process.
 */
export function simulatedAwsClientFactoryFor(
  settings: AwsEnvironmentsSettings,
  logger?: LoggerService,
): SimulatedAwsClientFactory {
  const { sharedUrl, ...simulation } = settings.simulation;
  if (sharedUrl) {
    logger?.info(
      `AWS environments: the simulated AWS organization shared at ${sharedUrl} (awsEnvironments.simulation.sharedUrl)`,
    );
    return new SimulatedAwsClientFactory({
      endpoint: new SharedSimulatedAwsOrganization({
        url: sharedUrl,
        accounts: settings.accounts,
      }),
    });
  }
  logger?.info(
    'AWS environments: simulated AWS organization (awsEnvironments.mode: simulated)',
  );
  return new SimulatedAwsClientFactory({
    accounts: settings.accounts,
    blueprintDir: settings.blueprintDir,
    logger,
    ...simulation,
  });
}

/** `awsEnvironments.mode` decides: real AWS, or the simulated organization. */
export function createAwsClientFactoryWithSimulation(options: {
  config: Config;
  logger?: LoggerService;
}): AwsClientFactory {
  return createAwsClientFactory({
    ...options,
    simulated: settings => simulatedAwsClientFactoryFor(settings, options.logger),
  });
}

/**
 * The AWS client factory service of a backend that may run on the simulated organization (the embedded default,
 * tests, benchmarks): real AWS when `awsEnvironments.mode` is `aws`, the simulation otherwise.
 */
export const awsClientFactoryWithSimulation = createServiceFactory({
  service: awsClientFactoryServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  factory: ({ config, logger }) =>
    createAwsClientFactoryWithSimulation({ config, logger }),
});
