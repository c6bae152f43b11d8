import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { withReadableFailures } from '@internal/plugin-aws-environments-node';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRegisterFileAction } from './actions/registerFile';
import { createValidateComponentAction } from './actions/validateComponent';
import {
  readLocalGitSettings,
  readSharedServicesAccount,
} from './lib/settings';

/**
 * Scaffolder actions of the application templates: the up-front check of a new component everywhere, and, on the
 * embedded default, publishing and registering without any SCM account.
 */
export const scaffolderModuleLocalGit = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'local-git',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, catalog, logger, auth }) {
        const settings = readLocalGitSettings(config);
        const defaultAuthor = {
          name:
            config.getOptionalString('scaffolder.defaultAuthor.name') ??
            'Scaffolder',
          email:
            config.getOptionalString('scaffolder.defaultAuthor.email') ??
            'scaffolder@backstage.io',
        };
        // A failure shows in the task log as one sentence; its stack goes to the server log.
        scaffolder.addActions(
          withReadableFailures(
            createValidateComponentAction({
              settings,
              catalog,
              sharedServices: readSharedServicesAccount(config),
            }),
            logger,
          ),
        );
        // Local publishing writes into the backend's own disk: the embedded default only (a `localGit` block).
        if (settings.enabled) {
          logger.info(
            `Local repositories are published to ${settings.repositoriesDir}`,
          );
          scaffolder.addActions(
            withReadableFailures(
              createPublishLocalAction({ settings, defaultAuthor }),
              logger,
            ),
            withReadableFailures(
              createRegisterFileAction({
                settings,
                catalog,
                auth,
                platformTeam:
                  config.getOptionalString(
                    'permission.innovate.platformTeam',
                  ) ?? 'group:default/platform-team',
              }),
              logger,
            ),
          );
        }
      },
    });
  },
});
