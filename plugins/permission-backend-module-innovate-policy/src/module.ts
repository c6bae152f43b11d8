import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { InnovatePermissionPolicy } from './InnovatePermissionPolicy';
import { CatalogOwnershipLookup } from './CatalogOwnershipLookup';

/** Installs Innovate's permission policy (see InnovatePermissionPolicy). */
export const permissionModuleInnovatePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'innovate-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, config, catalog, auth }) {
        const accounts =
          config.getOptionalConfigArray('awsEnvironments.accounts') ?? [];
        policy.setPolicy(
          new InnovatePermissionPolicy({
            platformTeam:
              config.getOptionalString('permission.innovate.platformTeam') ??
              'group:default/platform-team',
            prodAccountIds: accounts
              .filter(a => a.getOptionalString('stage') === 'prod')
              .map(a => a.getString('accountId')),
            sharedAccountIds: accounts
              .filter(a => a.getOptionalString('stage') === 'shared')
              .map(a => a.getString('accountId')),
            ownership: new CatalogOwnershipLookup(catalog, auth),
            // `localGit` is the embedded default's block, where the catalog reads file locations too.
            platformTeamRegistersLocations: config.has('localGit'),
          }),
        );
      },
    });
  },
});
