import { PRICE_TABLE } from '@internal/plugin-aws-environments-common';
import { NotAllowedError } from '@backstage/errors';
import { createSimulatedAwsClientFactory } from '../factory';
import { SimulatedAwsClientFactory } from '../SimulatedAwsClientFactory';
import {
  SimulatedAwsOrganization,
  type SimulatedRequest,
} from '../SimulatedAwsOrganization';
import { readRegionPrices } from '@internal/plugin-aws-environments-node';

const NOW = new Date('2026-12-03T06:00:00Z');

/** Every figure of a Region's snapshot, as the reader names them. */
function figureCount(region: string): number {
  const prices = PRICE_TABLE.regions[region];
  return (
    Object.keys(prices.ec2Hourly).length +
    Object.keys(prices.rdsPostgresHourly).length +
    Object.keys(prices.auroraPostgresHourly).length +
    10
  );
}

/**
 * A simulated factory whose GetProducts answers pass through `edit` first: to take products out, or to add ones
 * that disagree, as AWS's catalog sometimes does.
 */
function editedFactory(
  edit: (items: any[]) => any[],
  wrap: (json: string) => unknown = json => json,
) {
  const organization = new SimulatedAwsOrganization({
    seedEnvironments: false,
  });
  return new SimulatedAwsClientFactory({
    endpoint: {
      accounts: organization.accounts,
      whenReady: () => organization.whenReady(),
      async handle(request: SimulatedRequest) {
        const output = await organization.handle(request);
        if (request.commandName !== 'GetProductsCommand') return output;
        const items = (output.PriceList as string[]).map(i => JSON.parse(i));
        return {
          ...output,
          PriceList: edit(items).map(i => wrap(JSON.stringify(i))),
        };
      },
    },
  });
}

describe('readRegionPrices', () => {
  it('reads every figure of the estimate from the simulated Price List API', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    const reading = await readRegionPrices(factory, {
      region: 'eu-central-1',
      now: () => NOW,
    });

    // The simulation answers from the snapshot, so every figure is the snapshot's, and none is left out.
    expect(reading.prices).toEqual(PRICE_TABLE.regions['eu-central-1']);
    expect(reading.missing).toEqual([]);
    expect(reading.pricedCount).toBe(figureCount('eu-central-1'));
    expect(reading.source).toBe('simulated');
    expect(reading.readAt).toEqual(NOW);
    expect(reading.prices.eksClusterExtendedHourly).toBe(0.6);
  });

  it('reads the entries as the SDK hands them out against AWS: boxed JSON strings', async () => {
    // The SDK's LazyJsonString: a String object with a JSON parser attached.
    const factory = editedFactory(
      items => items,
      json =>
        // eslint-disable-next-line no-new-wrappers
        Object.assign(new String(json), {
          deserializeJSON: () => JSON.parse(json),
        }),
    );
    const reading = await readRegionPrices(factory, { region: 'eu-central-1' });
    expect(reading.missing).toEqual([]);
    expect(reading.prices).toEqual(PRICE_TABLE.regions['eu-central-1']);
  });

  it('follows NextToken through every page, with small pages as with the default', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    const whole = await readRegionPrices(factory, { region: 'us-east-1' });
    const queries = factory.getRequestCounts().pricing.GetProducts;
    factory.resetRequestCounts();

    const paged = await readRegionPrices(factory, {
      region: 'us-east-1',
      pageSize: 3,
    });
    const pages = factory.getRequestCounts().pricing.GetProducts;

    expect(paged.prices).toEqual(whole.prices);
    expect(paged.missing).toEqual([]);
    // 23 instance types at 3 a page alone take 8 pages of the EC2 query.
    expect(pages).toBeGreaterThanOrEqual(queries + 7);
  });

  it('keeps decoy products out with its filters (Windows, Multi-AZ, I/O-Optimized, trust store, gp2)', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    const { prices } = await readRegionPrices(factory, { region: 'us-east-1' });
    const snapshot = PRICE_TABLE.regions['us-east-1'];
    expect(prices.ec2Hourly['m5.large']).toBe(snapshot.ec2Hourly['m5.large']);
    expect(prices.rdsPostgresHourly['db.t4g.medium']).toBe(
      snapshot.rdsPostgresHourly['db.t4g.medium'],
    );
    expect(prices.auroraPostgresHourly['db.r7g.large']).toBe(
      snapshot.auroraPostgresHourly['db.r7g.large'],
    );
    expect(prices.albHourly).toBe(snapshot.albHourly);
    expect(prices.ebsGp3GbMonth).toBe(snapshot.ebsGp3GbMonth);
    expect(prices.interRegionTransferGb).toBe(snapshot.interRegionTransferGb);
  });

  it('names the figures it could not price and keeps the snapshot value for them', async () => {
    const factory = editedFactory(items =>
      items
        // No NAT gateway products, and no t3.small.
        .filter(i => i.product.productFamily !== 'NAT Gateway')
        .filter(i => i.product.attributes.instanceType !== 't3.small')
        // Two ALB-hour products that disagree: neither price can be trusted.
        .flatMap(i =>
          /LoadBalancerUsage$/.test(i.product.attributes.usagetype) &&
          !i.product.attributes.usagetype.includes('TS-')
            ? [i, withPrice(i, '0.0300000000', 'ALTSKU')]
            : [i],
        ),
    );
    const reading = await readRegionPrices(factory, { region: 'eu-central-1' });
    const snapshot = PRICE_TABLE.regions['eu-central-1'];

    expect(reading.missing.sort()).toEqual(
      ['albHourly', 'ec2Hourly.t3.small', 'natGatewayHourly'].sort(),
    );
    expect(reading.pricedCount).toBe(figureCount('eu-central-1') - 3);
    expect(reading.prices.natGatewayHourly).toBe(snapshot.natGatewayHourly);
    expect(reading.prices.ec2Hourly['t3.small']).toBe(
      snapshot.ec2Hourly['t3.small'],
    );
    expect(reading.prices.albHourly).toBe(snapshot.albHourly);
  });

  it('leaves the extended-support figure to the snapshot when the surcharge is not listed', async () => {
    const factory = editedFactory(items =>
      items.filter(
        i => !/extendedSupport$/.test(i.product.attributes.usagetype ?? ''),
      ),
    );
    const reading = await readRegionPrices(factory, { region: 'eu-central-1' });
    expect(reading.missing).toEqual(['eksClusterExtendedHourly']);
    expect(reading.prices.eksClusterExtendedHourly).toBe(
      PRICE_TABLE.regions['eu-central-1'].eksClusterExtendedHourly,
    );
  });

  it('prices nothing in a Region the API has no products for, and fills in the fallback Region snapshot', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    const reading = await readRegionPrices(factory, { region: 'ap-south-2' });
    expect(reading.pricedCount).toBe(0);
    expect(reading.snapshotRegion).toBe('us-east-1');
    expect(reading.missing).toHaveLength(figureCount('us-east-1'));
    expect(reading.prices).toEqual(PRICE_TABLE.regions['us-east-1']);
  });

  it('calls the API with an allowed account even for a Region none of them uses', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    const reading = await readRegionPrices(factory, { region: 'us-east-1' });
    expect(
      factory.listAccounts().some(a => a.regions.includes('us-east-1')),
    ).toBe(false);
    expect(reading.pricedCount).toBe(figureCount('us-east-1'));
  });

  it('refuses an account outside the allowlist and a Region that is not one, before any request', async () => {
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
    });
    await expect(
      readRegionPrices(factory, {
        region: 'eu-central-1',
        accountId: '999999999999',
      }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      readRegionPrices(factory, { region: 'Frankfurt' }),
    ).rejects.toThrow('Frankfurt is not an AWS Region such as eu-central-1');
    expect(factory.getRequestCounts()).toEqual({});
  });
});

/** A copy of a PriceList entry with another SKU and on-demand price. */
function withPrice(item: any, usd: string, sku: string) {
  const copy = structuredClone(item);
  copy.product.sku = sku;
  for (const offer of Object.values<any>(copy.terms.OnDemand)) {
    for (const dimension of Object.values<any>(offer.priceDimensions)) {
      dimension.pricePerUnit.USD = usd;
    }
  }
  return copy;
}
