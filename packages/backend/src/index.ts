import { createBackend } from '@backstage/backend-defaults';
import { searchEngineFeatures } from './searchEngine';
import { productionGuardPlugin } from './productionGuard';
import { localGitFeatures } from './localGitFeatures';
import { databaseServiceWithStartupLock } from './startupLock';
import { rootHttpRouterWithoutErrorStacks } from './errorBodies';
import { awsClientFactory } from './awsClientFactory';

const backend = createBackend();

// Error bodies carry the message a person reads; stack traces stay in the server log.
backend.add(rootHttpRouterWithoutErrorStacks);

// Replicas on one PostgreSQL database take turns to start, so their plugins never migrate the same tables at once.
backend.add(databaseServiceWithStartupLock);

// Fails start-up when a production configuration would allow guests or bypass permissions.
backend.add(productionGuardPlugin);

// Real AWS, or the simulated organization on the embedded default.
backend.add(awsClientFactory);

backend.add(import('@backstage/plugin-app-backend'));
// Events fan out between plugins (and between replicas through the events backend's database bus).
backend.add(import('@backstage/plugin-events-backend'));

// Sign-in: guest on the embedded default; GitHub (and OIDC) in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Environments deployed in the allowed AWS accounts become catalog entities.
backend.add(import('@internal/plugin-catalog-backend-module-aws-environments'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Provisioning of AWS environments through CloudFormation.
backend.add(
  import('@internal/plugin-scaffolder-backend-module-aws-environments'),
);
// Publishing generated repositories to local git on the embedded default.
backend.add(import('@internal/plugin-scaffolder-backend-module-local-git'));
backend.add(localGitFeatures);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@internal/plugin-permission-backend-module-innovate-policy'),
);

// Search: Lunr in memory on SQLite, PostgreSQL full-text search when the database is PostgreSQL.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(searchEngineFeatures);
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Health, costs and security findings of every AWS environment.
backend.add(import('@internal/plugin-aws-environments-backend'));

// A plugin that fails to start (the production guard, an unreachable database) must end the process with an error:
// Backstage only logs the failed start and leaves the half-started backend running, so neither Kubernetes nor a
// rollout would notice.
backend.start().catch(error => {
  console.error(`Backend startup failed: ${error?.message ?? error}`);
  process.exit(1);
});
