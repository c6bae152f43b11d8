import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import { createCloudFormationDeployAction } from './actions/cloudformationDeploy';
import { createEnvironmentDeployAction } from './actions/environmentDeploy';
import { createEnvironmentDestroyAction } from './actions/environmentDestroy';
import { createEnvironmentDriftAction } from './actions/environmentDrift';
import { createEnvironmentPlanAction } from './actions/environmentPlan';
import { createEnvironmentRegisterAction } from './actions/environmentRegister';
import { CatalogEnvironmentAccess } from './lib/access';
import { withAuditTrail } from './lib/auditTrail';
import { withReadableFailures } from './lib/errors';
import { readProvisioningSettings } from './lib/settings';
import { readableTaskLogs } from './lib/taskLogs';

/** Scaffolder actions that provision, preview, check and tear down environments of the reference architecture. */
export const scaffolderModuleAwsEnvironments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aws-environments',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        awsClients: awsClientFactoryServiceRef,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        httpRouter: coreServices.httpRouter,
      },
      async init({
        scaffolder,
        config,
        awsClients,
        events,
        catalog,
        auth,
        permissions,
        userInfo,
        logger,
        auditor,
        httpRouter,
      }) {
        // Ahead of the scaffolder's own routes (modules start before their plugin): task logs a browser reads show
        // failures as sentences, whoever logged them.
        httpRouter.use(
          readableTaskLogs as unknown as Parameters<typeof httpRouter.use>[0],
        );
        const settings = readProvisioningSettings(config, awsClients.mode);
        const access = new CatalogEnvironmentAccess({
          catalog,
          auth,
          permissions,
          userInfo,
        });
        const deps = { awsClients, settings, access, logger };
        const actions = [
          createCloudFormationDeployAction(deps),
          createEnvironmentDeployAction(deps),
          createEnvironmentPlanAction(deps),
          createEnvironmentDestroyAction({ ...deps, events }),
          createEnvironmentDriftAction(deps),
          createEnvironmentRegisterAction({ ...deps, events, catalog }),
        ];
        // Every mutating run is audited (auditor and the environment's history) with the error as the action threw it.
        scaffolder.addActions(
          ...actions.map(action =>
            withReadableFailures(
              withAuditTrail(action, { auditor, events, logger }),
              logger,
            ),
          ),
        );
      },
    });
  },
});
