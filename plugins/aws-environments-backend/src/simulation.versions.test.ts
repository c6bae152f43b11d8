import path from 'node:path';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { readInsightsConfig } from './config';
import { environmentTarget } from './__testUtils__/fixtures';
import type { EnvironmentDirectory } from './service/EnvironmentDirectory';
import { InsightsService } from './service/InsightsService';
import { DatabaseInsightsStore } from './service/InsightsStore';
import { VersionService } from './service/versions/VersionService';
import { DatabaseVersionStore } from './service/versions/VersionStore';

jest.setTimeout(60_000);

const blueprintDir = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
const NOW = new Date('2026-12-03T12:00:00Z');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * The versions of the seeded environments through the whole backend path: versions read from the simulated
 * organization into the store, health collected with them, and the lifecycle on the health and in the overview.
 */
describe('lifecycle of the seeded environments', () => {
  it('shows innovate-staging in extended support and the others in standard support', async () => {
    const factory = createSimulatedAwsClientFactory({
      blueprintDir,
      now: () => NOW.getTime(),
    });
    await factory.organization.whenReady();
    const environments = factory.organization.listEnvironments().map(env => ({
      ...environmentTarget({
        name: env.name,
        accountId: env.accountId,
        region: env.region,
        stage: env.stage,
      }),
      stacks: env.stacks,
    }));
    const knex = await databases.init('SQLITE_3');
    const database: DatabaseService = { getClient: async () => knex };
    const logger = mockServices.logger.mock();
    const versions = new VersionService({
      factory,
      store: await DatabaseVersionStore.create({ database }),
      logger,
      now: () => NOW,
    });
    const directory: EnvironmentDirectory = {
      list: async () => ({
        environments,
        latestTemplateVersions: new Map([['aws-environment', '1.2.0']]),
      }),
      invalidate: () => {},
    };
    const insights = new InsightsService({
      factory,
      store: await DatabaseInsightsStore.create({ database }),
      directory,
      catalog: catalogServiceMock(),
      logger,
      config: readInsightsConfig(mockServices.rootConfig()),
      now: () => NOW,
      versions,
    });

    expect(await versions.refresh()).toMatchObject({ failed: 0 });
    await insights.refreshHealth();

    const staging = environments.find(e => e.name === 'innovate-staging')!;
    const health = await insights.getHealth(staging);
    expect(health.lifecycle?.components).toEqual([
      expect.objectContaining({
        kind: 'kubernetes',
        resource: 'innovate-staging',
        version: '1.33',
        phase: 'extended',
        extendedSupportMonthly: 365,
      }),
      expect.objectContaining({
        kind: 'database',
        resource: 'innovate-staging-db',
        engine: 'postgres',
        version: '17.7',
        phase: 'standard',
      }),
    ]);
    // Extended support alone does not degrade anything: staging is degraded by its seeded alarm only.
    expect(health.reasons.filter(r => /support/.test(r))).toEqual([]);

    const overview = await insights.listEnvironments(async () => () => true);
    expect(
      Object.fromEntries(
        overview.map(item => [item.name, item.lifecycle?.worst]),
      ),
    ).toEqual({
      'innovate-dev': 'standard',
      'innovate-prod': 'standard',
      'innovate-staging': 'extended',
    });
    expect(
      overview.find(item => item.name === 'innovate-staging')?.lifecycle,
    ).toEqual({
      worst: 'extended',
      daysLeft: 237,
      extendedSupportMonthly: 365,
      summary:
        'Kubernetes 1.33: In extended support (+$365/month); support ends on 2027-07-29, in 237 days',
    });
  });
});
