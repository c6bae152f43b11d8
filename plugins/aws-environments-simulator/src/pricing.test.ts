import {
  GetProductsCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  PricingClient,
  paginateGetProducts,
  type Filter,
} from '@aws-sdk/client-pricing';
import { PRICE_TABLE } from '@internal/plugin-aws-environments-common';
import { createSimulatedAwsClientFactory } from './factory';

const dev = { accountId: '222222222222', region: 'eu-central-1' };

function term(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

/** The PriceList of an answer: JSON strings, whatever the SDK's type for it says. */
function items(answer: { PriceList?: unknown }): string[] {
  return (answer.PriceList ?? []) as string[];
}

/** An entry of PriceList as a reader sees it: its attributes and its on-demand USD prices. */
function read(item: string) {
  const parsed = JSON.parse(item);
  const usd = Object.values<any>(parsed.terms.OnDemand).flatMap(offer =>
    Object.values<any>(offer.priceDimensions).map(d => d.pricePerUnit.USD),
  );
  return {
    serviceCode: parsed.serviceCode as string,
    productFamily: parsed.product.productFamily as string,
    sku: parsed.product.sku as string,
    attributes: parsed.product.attributes as Record<string, string>,
    usd,
  };
}

describe('simulated Price List API', () => {
  const factory = createSimulatedAwsClientFactory({ seedEnvironments: false });
  const pricing = () => factory.getClient(PricingClient, dev);

  const linuxInstances = (region: string) => [
    term('regionCode', region),
    term('productFamily', 'Compute Instance'),
    term('operatingSystem', 'Linux'),
    term('tenancy', 'Shared'),
    term('preInstalledSw', 'NA'),
    term('capacitystatus', 'Used'),
  ];

  it('answers GetProducts with PriceList entries in the wire shape of the API, priced from the snapshot', async () => {
    const client = await pricing();
    const answer = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        FormatVersion: 'aws_v1',
        Filters: [
          ...linuxInstances('eu-central-1'),
          term('instanceType', 't3.small'),
        ],
      }),
    );
    expect(answer.FormatVersion).toBe('aws_v1');
    expect(answer.PriceList).toHaveLength(1);
    expect(typeof items(answer)[0]).toBe('string');
    const product = read(items(answer)[0]);
    expect(product).toEqual({
      serviceCode: 'AmazonEC2',
      productFamily: 'Compute Instance',
      sku: expect.stringMatching(/^[0-9A-F]{16}$/),
      attributes: expect.objectContaining({
        regionCode: 'eu-central-1',
        location: 'EU (Frankfurt)',
        instanceType: 't3.small',
        operatingSystem: 'Linux',
        usagetype: 'EUC1-BoxUsage:t3.small',
      }),
      usd: [
        PRICE_TABLE.regions['eu-central-1'].ec2Hourly['t3.small'].toFixed(10),
      ],
    });
    expect(answer.NextToken).toBeUndefined();
  });

  it('applies every TERM_MATCH filter, so that Windows and Dedicated instances stay out', async () => {
    const client = await pricing();
    const all = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: [
          term('regionCode', 'us-east-1'),
          term('instanceType', 'm5.large'),
        ],
      }),
    );
    const filtered = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: [
          ...linuxInstances('us-east-1'),
          term('instanceType', 'm5.large'),
        ],
      }),
    );
    const systems = items(all).map(i => read(i).attributes.operatingSystem);
    expect(systems).toEqual(expect.arrayContaining(['Linux', 'Windows']));
    expect(items(all).length).toBeGreaterThan(1);
    expect(items(filtered).map(i => read(i).usd[0])).toEqual([
      PRICE_TABLE.regions['us-east-1'].ec2Hourly['m5.large'].toFixed(10),
    ]);
    // us-east-1 usage types carry no Region prefix for instances.
    expect(read(items(filtered)[0]).attributes.usagetype).toBe(
      'BoxUsage:m5.large',
    );
  });

  it('pages with MaxResults and NextToken until every product was returned once', async () => {
    const client = await pricing();
    const filters = linuxInstances('eu-central-1');
    const pages: number[] = [];
    const types: string[] = [];
    for await (const page of paginateGetProducts(
      { client, pageSize: 5 },
      { ServiceCode: 'AmazonEC2', Filters: filters },
    )) {
      pages.push(items(page).length);
      types.push(...items(page).map(i => read(i).attributes.instanceType));
    }
    const expected = Object.keys(PRICE_TABLE.regions['eu-central-1'].ec2Hourly);
    expect(pages.length).toBe(Math.ceil(expected.length / 5));
    expect(pages.slice(0, -1).every(size => size === 5)).toBe(true);
    expect(types.sort()).toEqual([...expected].sort());
  });

  it('prices EKS with the cluster-hour and the extended-support surcharge on top of it', async () => {
    const client = await pricing();
    const answer = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEKS',
        Filters: [term('regionCode', 'eu-central-1')],
      }),
    );
    const byUsage = Object.fromEntries(
      items(answer).map(i => {
        const p = read(i);
        return [p.attributes.usagetype, Number(p.usd[0])];
      }),
    );
    const prices = PRICE_TABLE.regions['eu-central-1'];
    expect(byUsage['EUC1-AmazonEKS-Hours:perCluster']).toBe(
      prices.eksClusterHourly,
    );
    expect(
      byUsage['EUC1-AmazonEKS-Hours:perCluster'] +
        byUsage['EUC1-AmazonEKS-Hours:extendedSupport'],
    ).toBeCloseTo(prices.eksClusterExtendedHourly, 10);
  });

  it('has no products for a Region outside the snapshot, nor for a service it does not price', async () => {
    const client = await pricing();
    const region = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: [term('regionCode', 'ap-south-2')],
      }),
    );
    const service = await client.send(
      new GetProductsCommand({ ServiceCode: 'AmazonS3' }),
    );
    expect(region.PriceList).toEqual([]);
    expect(service.PriceList).toEqual([]);
  });

  it('refuses what the API refuses, with the SDK error classes', async () => {
    const client = await pricing();
    await expect(
      client.send(
        new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 101 }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          Filters: [{ Type: 'CONTAINS', Field: 'instanceType', Value: 't3' }],
        }),
      ),
    ).rejects.toThrow(/use TERM_MATCH/);

    const first = await client.send(
      new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 2 }),
    );
    expect(first.NextToken).toBeDefined();
    // A token is bound to its query: reused with other filters it is refused, as AWS does.
    await expect(
      client.send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          MaxResults: 2,
          Filters: [term('regionCode', 'us-east-1')],
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(
      client.send(
        new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          NextToken: 'not-a-token',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('answers through a client of any allowed account, whatever Region that client was asked for', async () => {
    const client = await factory.getClient(PricingClient, {
      accountId: '333333333333',
      region: 'eu-central-1',
    });
    expect(await client.config.region()).toBe('us-east-1');
    const answer = await client.send(
      new GetProductsCommand({
        ServiceCode: 'AWSELB',
        Filters: [
          term('regionCode', 'us-east-1'),
          term('usagetype', 'LCUUsage'),
        ],
      }),
    );
    expect(items(answer).map(i => Number(read(i).usd[0]))).toEqual([
      PRICE_TABLE.regions['us-east-1'].albLcuHourly,
    ]);
  });
});
