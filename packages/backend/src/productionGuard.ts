import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** Production is what `auth.environment` says, falling back to NODE_ENV, as the auth backend decides. */
export function isProductionConfig(config: Config): boolean {
  const environment =
    config.getOptionalString('auth.environment') ??
    (process.env.NODE_ENV === 'production' ? 'production' : 'development');
  return environment === 'production';
}

/** Reasons the configuration must not run in production; empty when it may. */
export function productionConfigProblems(config: Config): string[] {
  if (!isProductionConfig(config)) {
    return [];
  }
  const problems: string[] = [];
  if (config.has('auth.providers.guest')) {
    problems.push(
      'guest sign-in is configured (auth.providers.guest): remove it and configure a real sign-in provider',
    );
  }
  if (config.getOptionalStringArray('app.signInProviders')?.includes('guest')) {
    problems.push(
      'the sign-in page offers guest sign-in (app.signInProviders): list only real providers, e.g. [github]',
    );
  }
  if (!config.getOptionalBoolean('permission.enabled')) {
    problems.push(
      'the permission framework is off (permission.enabled): production relies on it to keep production environments to the platform team',
    );
  }
  if (config.getOptionalString('backend.database.client') !== 'pg') {
    problems.push(
      'the database is not PostgreSQL (backend.database.client): replicas must share one PostgreSQL database',
    );
  }
  return problems;
}

/**
 * Refuses to start a production backend whose configuration would let anyone in as a guest or bypass the
 * permission policy.
 */
export const productionGuardPlugin = createBackendPlugin({
  pluginId: 'production-guard',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        const problems = productionConfigProblems(config);
        if (problems.length > 0) {
          throw new Error(
            `Refusing to start with this production configuration: ${problems.join(
              '; ',
            )}`,
          );
        }
      },
    });
  },
});
