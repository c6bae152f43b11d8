import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ENVIRONMENTS_CHANGED_TOPIC } from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import { AwsEnvironmentEntityProvider } from './provider/AwsEnvironmentEntityProvider';

/** Catalog module: environments, their parts and the allowed AWS accounts as Resources, discovered from AWS. */
export const catalogModuleAwsEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        awsClients: awsClientFactoryServiceRef,
        events: eventsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, awsClients, events }) {
        const scheduleConfig = config.getOptionalConfig(
          'awsEnvironments.discovery.schedule',
        );
        const schedule = scheduleConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
          : {
              frequency: { seconds: 60 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 5 },
            };
        const provider = new AwsEnvironmentEntityProvider({
          awsClients,
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(schedule),
        });
        catalog.addEntityProvider(provider);
        await events.subscribe({
          id: 'catalog-aws-environments',
          topics: [ENVIRONMENTS_CHANGED_TOPIC],
          onEvent: async () => {
            await provider
              .refresh()
              .catch(error =>
                logger.warn(
                  `Environment discovery after an event failed: ${error}`,
                ),
              );
          },
        });
      },
    });
  },
});
