import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  awsClientFactoryServiceRef,
  createAwsClientFactory,
  readAwsEnvironmentsSettings,
} from '@internal/plugin-aws-environments-node';

/**
 * The portal's AWS boundary: real AWS when `awsEnvironments.mode` is `aws`; on the embedded default the simulated
 * organization, whose package is loaded only then, so a production backend never runs simulator code.
 */
export const awsClientFactory = createServiceFactory({
  service: awsClientFactoryServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  async factory({ config, logger }) {
    if (readAwsEnvironmentsSettings(config).mode === 'aws') {
      return createAwsClientFactory({ config, logger });
    }
    const loaded = await import('@internal/plugin-aws-environments-simulator');
    // Compiled to CommonJS, the imported namespace may hold the module under `default`.
    const simulator =
      'createAwsClientFactoryWithSimulation' in loaded
        ? loaded
        : (loaded as { default: typeof loaded }).default;
    return simulator.createAwsClientFactoryWithSimulation({ config, logger });
  },
});
