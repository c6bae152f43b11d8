import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * Search uses PostgreSQL's full-text search when the portal's database is PostgreSQL (production) and the
 * search backend's in-memory Lunr engine otherwise (the embedded SQLite default), without a start-up warning
 * about an engine that cannot run.
 */
export const searchEngineFeatures = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async *loader({ config }) {
    if (config.getOptionalString('backend.database.client') === 'pg') {
      yield import('@backstage/plugin-search-backend-module-pg');
    }
  },
});
