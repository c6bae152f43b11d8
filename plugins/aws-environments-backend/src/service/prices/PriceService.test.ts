import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { PRICE_TABLE } from '@internal/plugin-aws-environments-common';
import { SimulatedAwsClientFactory, SimulatedAwsOrganization, type SimulatedRequest } from '@internal/plugin-aws-environments-simulator';
import { PriceService } from './PriceService';
import { DatabasePriceStore } from './PriceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A simulated organization whose Price List answers can be edited, or made to fail, per test. */
function pricingFactory() {
  const organization = new SimulatedAwsOrganization({
    seedEnvironments: false,
  });
  const behaviour: {
    fail?: string;
    drop?: (attributes: Record<string, string>) => boolean;
  } = {};
  const factory = new SimulatedAwsClientFactory({
    endpoint: {
      accounts: organization.accounts,
      whenReady: () => organization.whenReady(),
      async handle(request: SimulatedRequest) {
        if (request.service === 'pricing' && behaviour.fail) {
          const error = new Error(behaviour.fail);
          error.name = 'AccessDeniedException';
          throw error;
        }
        const output = await organization.handle(request);
        if (request.service !== 'pricing' || !behaviour.drop) return output;
        return {
          ...output,
          PriceList: (output.PriceList as string[]).filter(
            item => !behaviour.drop!(JSON.parse(item).product.attributes),
          ),
        };
      },
    },
  });
  return { factory, behaviour };
}

async function createService(now: () => Date) {
  const knex = await databases.init('SQLITE_3');
  const database: DatabaseService = { getClient: async () => knex };
  const { factory, behaviour } = pricingFactory();
  const logger = mockServices.logger.mock();
  const service = new PriceService({
    factory,
    store: await DatabasePriceStore.create({ database }),
    logger,
    now,
  });
  return { service, behaviour, logger };
}

describe('PriceService', () => {
  it('prices the Regions of the allowlisted accounts and the fallback Region', async () => {
    const { service } = await createService(() => new Date());
    expect(service.regionsToPrice()).toEqual(['eu-central-1', 'us-east-1']);
  });

  it('keeps the last prices read when a later read fails, and records the failure', async () => {
    let now = new Date('2026-12-02T04:00:00Z');
    const { service, behaviour, logger } = await createService(() => now);

    expect(await service.refresh()).toEqual({
      regions: 2,
      succeeded: 2,
      failed: 0,
      notPriced: [],
    });

    now = new Date('2026-12-03T04:00:00Z');
    behaviour.fail = 'User is not authorized to perform pricing:GetProducts';
    expect(await service.refresh()).toMatchObject({ succeeded: 0, failed: 2 });

    const prices = await service.getRegionPrices('eu-central-1');
    expect(prices).toMatchObject({ source: 'simulated', asOf: '2026-12-02' });
    expect(prices.prices).toEqual(PRICE_TABLE.regions['eu-central-1']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not read the list prices of eu-central-1: AccessDeniedException: User is not authorized to perform pricing:GetProducts',
    );
  });

  it('says which figures hold the snapshot value when the API did not price them', async () => {
    const { service, behaviour, logger } = await createService(
      () => new Date(),
    );
    behaviour.drop = attributes =>
      /NatGateway-Hours$/.test(attributes.usagetype ?? '');

    await service.refresh();

    const prices = await service.getRegionPrices('eu-central-1');
    expect(prices.source).toBe('simulated');
    expect(prices.snapshotFigures).toEqual(['natGatewayHourly']);
    expect(prices.prices.natGatewayHourly).toBe(
      PRICE_TABLE.regions['eu-central-1'].natGatewayHourly,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      `Read the list prices of eu-central-1, but the AWS Price List did not price natGatewayHourly; these keep the figures of the ${PRICE_TABLE.asOf} snapshot.`,
    );
  });

  it('stores nothing for a Region the API has no products for, whose estimates use the fallback Region', async () => {
    const { service, behaviour } = await createService(() => new Date());
    behaviour.drop = attributes =>
      attributes.regionCode === 'eu-central-1' ||
      attributes.fromRegionCode === 'eu-central-1';

    const outcome = await service.refresh();

    expect(outcome).toMatchObject({
      succeeded: 1,
      notPriced: ['eu-central-1'],
    });
    // eu-central-1 is in the snapshot, so it is priced from the snapshot rather than as another Region.
    expect(await service.getRegionPrices('eu-central-1')).toMatchObject({
      pricedRegion: 'eu-central-1',
      fallback: false,
      source: 'snapshot',
    });
  });
});
