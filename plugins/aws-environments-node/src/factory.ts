import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  readAwsEnvironmentsSettings,
  type AwsEnvironmentsSettings,
} from './config';
import { DefaultAwsClientFactory } from './DefaultAwsClientFactory';
import type { AwsClientFactory } from './types';

/**
 * The AWS client factory for `awsEnvironments.mode`: real AWS through `@backstage/integration-aws-node`
 * credentials. The simulated organization lives in its own package; a backend that may run on it passes
 * `simulated` (see `@internal/plugin-aws-environments-simulator`), and without it simulated mode is refused.
 */
export function createAwsClientFactory(options: {
  config: Config;
  logger?: LoggerService;
  simulated?: (settings: AwsEnvironmentsSettings) => AwsClientFactory;
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
  if (!options.simulated) {
    throw new Error(
      "awsEnvironments.mode is 'simulated', but this backend does not include the simulated AWS organization: set awsEnvironments.mode to aws and list the allowed accounts, or install the simulator's client factory service.",
    );
  }
  return options.simulated(settings);
}

/**
 * The portal's AWS boundary as a root-scoped service: one factory per backend process, shared by every plugin and module that lists it in `deps`.
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
