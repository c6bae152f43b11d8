import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
        scaffolder.addActions(
          createValidateComponentAction({
            settings,
            catalog,
            sharedServices: readSharedServicesAccount(config),
          }),
        );
        // Local publishing writes into the backend's own disk: the embedded default only (a `localGit` block).
        if (settings.enabled) {
          logger.info(
            `Local repositories are published to ${settings.repositoriesDir}`,
          );
          scaffolder.addActions(
            createPublishLocalAction({ settings, defaultAuthor }),
            createRegisterFileAction({
              settings,
              catalog,
              auth,
              platformTeam:
                config.getOptionalString('permission.innovate.platformTeam') ??
                'group:default/platform-team',
            }),
          );
        }
      },
    });
  },
});
