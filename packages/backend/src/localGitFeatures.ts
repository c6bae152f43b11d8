import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { catalogModuleFileLocations } from '@internal/plugin-scaffolder-backend-module-local-git';

/**
 * On the embedded default, repositories created from templates are published to local git folders and
 * registered as `file` locations, which the catalog API refuses unless this module allows them. It is loaded only
 * when `localGit.allowFileLocations` is true, never in production.
 */
export const localGitFeatures = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.getOptionalBoolean('localGit.allowFileLocations')) {
      yield catalogModuleFileLocations;
    }
  },
});
