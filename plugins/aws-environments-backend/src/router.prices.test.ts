import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  PRICE_TABLE,
  estimateMonthlyCost,
  type RegionPricesResponse,
} from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef, type AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { SimulatedAwsClientFactory, SimulatedAwsOrganization } from '@internal/plugin-aws-environments-simulator';
import request from 'supertest';
import plugin from './index';

const PRICES_TASK = 'aws-environments-prices';

async function startBackend(factory: AwsClientFactory) {
  const scheduler = mockServices.scheduler.mock();
  const logger = mockServices.logger.mock();
  const { server } = await startTestBackend({
    features: [
      plugin,
      scheduler.factory,
      logger.factory,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: {} }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => factory,
      }),
    ],
  });
  const pricesTask = () =>
    scheduler.scheduleTask.mock.calls.find(([t]) => t.id === PRICES_TASK)?.[0];
  const refreshPrices = () =>
    pricesTask()!.fn(new AbortController().signal) as Promise<void>;
  const getPrices = async (region: string) => {
    const response = await request(server)
      .get(`/api/aws-environments/prices/${region}`)
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    return response.body as RegionPricesResponse;
  };
  return { server, pricesTask, refreshPrices, getPrices, logger };
}

function simulatedFactory() {
  return new SimulatedAwsClientFactory({ seedEnvironments: false });
}

/** Today as the backend writes it, for prices read during the test. */
const today = () => new Date().toISOString().slice(0, 10);

describe('GET /prices/:region', () => {
  it('answers the shipped snapshot until the first read succeeded', async () => {
    const { getPrices } = await startBackend(simulatedFactory());

    expect(await getPrices('eu-central-1')).toEqual({
      region: 'eu-central-1',
      pricedRegion: 'eu-central-1',
      fallback: false,
      source: 'snapshot',
      asOf: PRICE_TABLE.asOf,
      currency: 'USD',
      prices: PRICE_TABLE.regions['eu-central-1'],
    });
  });

  it('answers prices read from the simulated Price List API after the daily refresh', async () => {
    const { getPrices, refreshPrices, pricesTask } = await startBackend(
      simulatedFactory(),
    );
    expect(pricesTask()).toMatchObject({
      frequency: { hours: 24 },
      scope: 'global',
    });

    await refreshPrices();
    const body = await getPrices('eu-central-1');

    expect(body).toMatchObject({
      region: 'eu-central-1',
      pricedRegion: 'eu-central-1',
      fallback: false,
      source: 'simulated',
      asOf: today(),
    });
    expect(body.prices.eksClusterExtendedHourly).toBe(0.6);
    expect(body.snapshotFigures).toBeUndefined();

    // What the estimate of the New AWS environment form makes of it.
    const estimate = estimateMonthlyCost(
      {
        region: 'eu-central-1',
        kubernetesVersion: '1.31',
        kubernetesVersionPhase: 'extended',
      },
      { prices: body },
    );
    expect(estimate.pricesSource).toBe('simulated');
    expect(estimate.pricesAsOf).toBe(today());
    expect(
      estimate.lineItems.find(line => line.key === 'compute.eks-cluster')
        ?.monthly,
    ).toBe(438);
  });

  it('prices a Region that is not priced as the fallback Region, and says so', async () => {
    const { getPrices, refreshPrices } = await startBackend(simulatedFactory());

    expect(await getPrices('ap-south-2')).toMatchObject({
      region: 'ap-south-2',
      pricedRegion: 'us-east-1',
      fallback: true,
      source: 'snapshot',
      prices: PRICE_TABLE.regions['us-east-1'],
    });

    // The fallback Region is read too, although no allowlisted account uses it.
    await refreshPrices();
    expect(await getPrices('ap-south-2')).toMatchObject({
      region: 'ap-south-2',
      pricedRegion: 'us-east-1',
      fallback: true,
      source: 'simulated',
      asOf: today(),
    });
  });

  it('keeps answering the snapshot when the Price List API cannot be read, and logs why', async () => {
    const organization = new SimulatedAwsOrganization({
      seedEnvironments: false,
    });
    const factory = new SimulatedAwsClientFactory({
      endpoint: {
        accounts: organization.accounts,
        whenReady: () => organization.whenReady(),
        async handle(simulated) {
          if (simulated.service === 'pricing') {
            const error = new Error('Rate exceeded');
            error.name = 'ThrottlingException';
            throw error;
          }
          return organization.handle(simulated);
        },
      },
    });
    const { getPrices, refreshPrices, logger } = await startBackend(factory);

    await refreshPrices();

    expect((await getPrices('eu-central-1')).source).toBe('snapshot');
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not read the list prices of eu-central-1: ThrottlingException: Rate exceeded',
    );
  });

  it('refuses a Region that is not one with a plain sentence, and callers who are not signed in', async () => {
    const { server } = await startBackend(simulatedFactory());

    const invalid = await request(server)
      .get('/api/aws-environments/prices/Frankfurt')
      .set('Authorization', mockCredentials.user.header());
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toBe(
      'Invalid Region: the Region must be an AWS Region such as eu-central-1.',
    );

    const anonymous = await request(server)
      .get('/api/aws-environments/prices/eu-central-1')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
