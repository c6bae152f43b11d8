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
  const pageProviders = config.getOptionalStringArray('app.signInProviders');
  if (pageProviders?.includes('guest')) {
    problems.push(
      'the sign-in page offers guest sign-in (app.signInProviders): list only real providers, e.g. [github]',
    );
  }
  // A provider signs people in only with a resolver that maps them to a catalog user.
  const providers = config.getOptionalConfig('auth.providers');
  const signInProviders = (providers?.keys() ?? []).filter(
    id =>
      id !== 'guest' &&
      (providers!.getOptionalConfigArray(`${id}.production.signIn.resolvers`)
        ?.length ?? 0) > 0,
  );
  if (signInProviders.length === 0) {
    problems.push(
      'no sign-in provider is configured (auth.providers.<provider>.production.signIn.resolvers): configure GitHub or OIDC with a resolver that maps people to catalog users',
    );
  }
  if (!pageProviders || pageProviders.length === 0) {
    problems.push(
      'the sign-in page names no provider (app.signInProviders), so it would offer guest sign-in: list the real ones, e.g. [github]',
    );
  }
  for (const id of pageProviders ?? []) {
    if (id !== 'guest' && !signInProviders.includes(id)) {
      problems.push(
        `the sign-in page offers ${id} (app.signInProviders), which has no sign-in resolver under auth.providers.${id}.production.signIn.resolvers`,
      );
    }
  }
  if (
    config.getOptionalBoolean(
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
    )
  ) {
    problems.push(
      'the default auth policy is disabled (backend.auth.dangerouslyDisableDefaultAuthPolicy): every plugin would serve unauthenticated requests',
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
