import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ENVIRONMENTS_CHANGED_TOPIC,
  ENVIRONMENT_HISTORY_TOPIC,
  awsEnvironmentsPermissions,
} from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import { readInsightsConfig } from './config';
import {
  awsEnvironmentResourceRef,
  awsEnvironmentsPermissionRules,
} from './permissions';
import { createRouter } from './router';
import { CatalogEnvironmentDirectory } from './service/EnvironmentDirectory';
import {
  DatabaseEnvironmentHistory,
  parseHistoryEntry,
} from './service/history/EnvironmentHistory';
import { refreshAuditRouter } from './service/history/refreshAudit';
import { InsightsService } from './service/InsightsService';
import { DatabaseInsightsStore } from './service/InsightsStore';
import {
  PRICES_REFRESH_FREQUENCY,
  PriceService,
} from './service/prices/PriceService';
import { DatabasePriceStore } from './service/prices/PriceStore';
import {
  VERSIONS_REFRESH_FREQUENCY,
  VersionService,
  eksPricesFrom,
} from './service/versions/VersionService';
import { DatabaseVersionStore } from './service/versions/VersionStore';

/**
 * The environment insights backend: collects health (with stack details), costs and security findings of every
 * environment in the catalog on schedules, stores them, and serves them at `/api/aws-environments`.
 */
export const awsEnvironmentsPlugin = createBackendPlugin({
  pluginId: 'aws-environments',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        factory: awsClientFactoryServiceRef,
      },
      async init(deps) {
        const { logger, config, scheduler, catalog, auth, factory } = deps;
        const insightsConfig = readInsightsConfig(config);
        const store = await DatabaseInsightsStore.create({
          database: deps.database,
        });
        const directory = new CatalogEnvironmentDirectory({ catalog, auth });
        // List prices for the cost estimate, read daily; until the first read, `/prices` answers from the snapshot.
        const prices = new PriceService({
          factory,
          store: await DatabasePriceStore.create({ database: deps.database }),
          logger,
        });
        // Versions EKS and RDS offer per allowed account and Region; until the first read, the dated snapshot. The
        // surcharge of extended support is priced with the list prices.
        const versions = new VersionService({
          factory,
          store: await DatabaseVersionStore.create({ database: deps.database }),
          logger,
          eksPrices: async region =>
            eksPricesFrom(await prices.getRegionPrices(region)),
        });
        const insights = new InsightsService({
          factory,
          store,
          directory,
          catalog,
          logger,
          config: insightsConfig,
          versions,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: awsEnvironmentResourceRef,
          permissions: awsEnvironmentsPermissions,
          rules: Object.values(awsEnvironmentsPermissionRules),
          getResources: async refs => {
            const { items } = await catalog.getEntitiesByRefs(
              { entityRefs: refs },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return items.map(entity => entity ?? undefined);
          },
        });

        const sections = [
          ['health', () => insights.refreshHealth()],
          ['findings', () => insights.refreshFindings()],
          ['costs', () => insights.refreshCosts()],
        ] as const;
        for (const [section, refresh] of sections) {
          await scheduler.scheduleTask({
            id: `aws-environments-insights-${section}`,
            frequency: insightsConfig.schedule[section],
            timeout: { minutes: 30 },
            initialDelay: insightsConfig.schedule.initialDelay,
            scope: 'global',
            fn: async () => {
              const outcome = await refresh();
              logger.info(
                `Collected ${section} of ${outcome.environments} environments: ${outcome.succeeded} succeeded, ${outcome.failed} failed`,
              );
            },
          });
        }

        await scheduler.scheduleTask({
          id: 'aws-environments-prices',
          frequency: PRICES_REFRESH_FREQUENCY,
          timeout: { minutes: 30 },
          initialDelay: insightsConfig.schedule.initialDelay,
          scope: 'global',
          fn: async () => {
            const outcome = await prices.refresh();
            logger.info(
              `Read list prices of ${outcome.regions} Regions: ${outcome.succeeded} succeeded, ${outcome.failed} failed`,
            );
          },
        });

        await scheduler.scheduleTask({
          id: 'aws-environments-versions',
          frequency: VERSIONS_REFRESH_FREQUENCY,
          timeout: { minutes: 30 },
          initialDelay: insightsConfig.schedule.initialDelay,
          scope: 'global',
          fn: async () => {
            const outcome = await versions.refresh();
            logger.info(
              `Read the Kubernetes and PostgreSQL versions of ${outcome.targets} accounts and Regions: ${outcome.succeeded} succeeded, ${outcome.failed} failed`,
            );
          },
        });

        await deps.events.subscribe({
          id: 'aws-environments-insights',
          topics: [ENVIRONMENTS_CHANGED_TOPIC],
          onEvent: async ({ eventPayload }) => {
            const { environment, removed } = (eventPayload ?? {}) as {
              environment?: unknown;
              removed?: unknown;
            };
            await insights.onEnvironmentChanged(
              typeof environment === 'string' ? environment : undefined,
              removed === true ? 'removed' : 'changed',
            );
          },
        });

        // The history of each environment: operations of the scaffolder actions arrive on the events service (across
        // replicas through the events backend's bus); on-demand refreshes are recorded here.
        const history = await DatabaseEnvironmentHistory.create({
          database: deps.database,
        });
        await deps.events.subscribe({
          id: 'aws-environments-history',
          topics: [ENVIRONMENT_HISTORY_TOPIC],
          onEvent: async ({ eventPayload }) => {
            const entry = parseHistoryEntry(eventPayload);
            if (!entry) {
              logger.warn(
                'An environment history event was not an entry and was not stored',
              );
              return;
            }
            await history.record(entry);
          },
        });
        deps.httpRouter.use(
          refreshAuditRouter({
            auditor: deps.auditor,
            history,
            httpAuth: deps.httpAuth,
            auth,
            logger,
          }),
        );

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            logger,
            config,
            insightsConfig,
            factory,
            insights,
            store,
            catalog,
            auth,
            prices,
            versions,
            history,
          }),
        );
        logger.info(
          `AWS environment insights ready (${
            factory.mode
          } mode); schedules health ${JSON.stringify(
            insightsConfig.schedule.health,
          )}, findings ${JSON.stringify(
            insightsConfig.schedule.findings,
          )}, costs ${JSON.stringify(insightsConfig.schedule.costs)}`,
        );
      },
    });
  },
});
