import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readAwsEnvironmentsSettings } from './config';
import { DefaultAwsClientFactory } from './DefaultAwsClientFactory';
import { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';
import type { SimulatedAwsOrganizationOptions } from './simulation/SimulatedAwsOrganization';
import { SharedSimulatedAwsOrganization } from './simulation/shared';
import type { AwsClientFactory } from './types';

/**
 * The AWS client factory for `awsEnvironments.mode`: real AWS through `@backstage/integration-aws-node`
 * credentials, or the simulated organization (built once, here).
 */
export function createAwsClientFactory(options: {
  config: Config;
  logger?: LoggerService;
}): AwsClientFactory {
  const settings = readAwsEnvironmentsSettings(options.config);
  if (settings.mode === 'aws') {
    options.logger?.info(
      `AWS environments: real AWS, ${settings.accounts.length} allowed account(s)`,
    );
    return DefaultAwsClientFactory.fromConfig(options.config, {
      logger: options.logger,
    });
  }
  const { sharedUrl, ...simulation } = settings.simulation;
  if (sharedUrl) {
    options.logger?.info(
      `AWS environments: the simulated AWS organization shared at ${sharedUrl} (awsEnvironments.simulation.sharedUrl)`,
    );
    return new SimulatedAwsClientFactory({
      endpoint: new SharedSimulatedAwsOrganization({
        url: sharedUrl,
        accounts: settings.accounts,
      }),
    });
  }
  options.logger?.info(
    'AWS environments: simulated AWS organization (awsEnvironments.mode: simulated)',
  );
  return new SimulatedAwsClientFactory({
    accounts: settings.accounts,
    blueprintDir: settings.blueprintDir,
    logger: options.logger,
    ...simulation,
  });
}

/** A factory bound to a simulated organization, for tests, benchmarks and dev harnesses. */
export function createSimulatedAwsClientFactory(
  options: SimulatedAwsOrganizationOptions = {},
): SimulatedAwsClientFactory {
  return new SimulatedAwsClientFactory(options);
}

/**
 * The portal's AWS boundary as a root-scoped service: one factory (and, in simulated mode, one organization) per
 * backend process, shared by every plugin and module that lists it in `deps`.
 */
export const awsClientFactoryServiceRef = createServiceRef<AwsClientFactory>({
  id: 'aws-environments.client-factory',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      factory: ({ config, logger }) =>
        createAwsClientFactory({ config, logger }),
    }),
});
