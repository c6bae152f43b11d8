import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  FileLocationGuardProcessor,
  findRepositoryRoot,
} from './lib/fileLocationGuard';
import { readLocalGitSettings } from './lib/settings';

/**
 * The catalog refuses to register anything but `url` locations through its API. The embedded default publishes
 * repositories to the portal's own disk, so it must accept `file` locations too. Leave this module out where
 * components live in GitHub: a `file` location reads from the backend's file system.
 */
export const catalogModuleFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'file-locations',
  register(reg) {
    reg.registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ locations, processing, config }) {
        locations.setAllowedLocationTypes(['url', 'file']);
        // A file location reads the backend's disk: only the portal's repository and the local repositories.
        processing.addProcessor(
          new FileLocationGuardProcessor({
            allowedRoots: [
              findRepositoryRoot(),
              readLocalGitSettings(config).repositoriesDir,
            ],
          }),
        );
      },
    });
  },
});
