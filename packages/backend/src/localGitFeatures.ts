import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * On the embedded default, repositories created from templates are published to local git folders and
 * registered as `file` locations, which the catalog API refuses unless this module allows them. It is loaded only
 * when `localGit.allowFileLocations` is true, never in production.
 */
export const localGitFeatures = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async *loader({ config }) {
    if (config.getOptionalBoolean('localGit.allowFileLocations')) {
      const { catalogModuleFileLocations } = await import(
        '@internal/plugin-scaffolder-backend-module-local-git'
      );
      yield catalogModuleFileLocations;
    }
  },
});
