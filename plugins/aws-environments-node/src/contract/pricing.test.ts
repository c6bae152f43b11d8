import { PRICE_TABLE } from '@internal/plugin-aws-environments-common';
import { readRegionPrices } from '../facts/prices';
import {
  AwsWire,
  type WireRequest,
  awsJson,
  guardDns,
  isolateFromAwsEnvironment,
} from './awsWire';
import {
  DEV_ACCOUNT,
  REGION,
  answerAssumeRole,
  realModeFactory,
} from './realMode';

/**
 * One PriceList entry as GetProducts returns it: a JSON document in a string
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html and the
 * price list file format of https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-files.html).
 * The prices are made up for the test.
 */
function ec2Product(instanceType: string, usd: number): string {
  const sku = `SKU${instanceType.replace(/\W/g, '').toUpperCase()}`;
  return JSON.stringify({
    product: {
      productFamily: 'Compute Instance',
      attributes: {
        instanceType,
        regionCode: REGION,
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        licenseModel: 'No License required',
        usagetype: `EUC1-BoxUsage:${instanceType}`,
      },
      sku,
    },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: 'JRTCKXETXF',
          sku,
          effectiveDate: '2026-11-01T00:00:00Z',
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: 'Hrs',
              beginRange: '0',
              endRange: 'Inf',
              description: `$${usd} per On Demand Linux ${instanceType} Instance Hour`,
              pricePerUnit: { USD: usd.toFixed(10) },
            },
          },
          termAttributes: {},
        },
      },
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  });
}

const filterValue = (request: WireRequest, field: string) =>
  request.json?.Filters?.find((f: { Field: string }) => f.Field === field)
    ?.Value;

describe('Price List API on the wire (awsJson 1.1), read by readRegionPrices', () => {
  let wire: AwsWire;
  let dnsGuard: ReturnType<typeof guardDns>;
  let environment: ReturnType<typeof isolateFromAwsEnvironment>;

  beforeAll(async () => {
    wire = await AwsWire.start();
  });
  afterAll(() => wire.close());
  beforeEach(() => {
    wire.reset();
    environment = isolateFromAwsEnvironment();
    dnsGuard = guardDns();
    answerAssumeRole(wire);
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
  });

  it('prices EC2 from every page of GetProducts, signed for us-east-1 whatever Region is priced', async () => {
    const types = Object.keys(PRICE_TABLE.regions[REGION].ec2Hourly);
    // Made-up prices, one cent above the snapshot's, so that a figure read from the wire is told from the snapshot.
    const wirePrice = (type: string) =>
      Math.round((PRICE_TABLE.regions[REGION].ec2Hourly[type] + 0.01) * 1e4) /
      1e4;
    const half = Math.ceil(types.length / 2);
    wire.on('pricing', 'GetProducts', request => {
      const isEc2Instances =
        request.json?.ServiceCode === 'AmazonEC2' &&
        filterValue(request, 'productFamily') === 'Compute Instance';
      if (!isEc2Instances) {
        return awsJson({ FormatVersion: 'aws_v1', PriceList: [] });
      }
      const page =
        request.json?.NextToken === 'products-2'
          ? types.slice(half)
          : types.slice(0, half);
      return awsJson({
        FormatVersion: 'aws_v1',
        PriceList: page.map(type => ec2Product(type, wirePrice(type))),
        ...(request.json?.NextToken ? {} : { NextToken: 'products-2' }),
      });
    });

    const reading = await readRegionPrices(realModeFactory(wire), {
      region: REGION,
      accountId: DEV_ACCOUNT,
    });

    expect(reading.source).toBe('aws');
    expect(reading.prices.ec2Hourly).toEqual(
      Object.fromEntries(types.map(type => [type, wirePrice(type)])),
    );
    expect(reading.pricedCount).toBe(types.length);
    expect(reading.missing).not.toContain(`ec2Hourly.${types[0]}`);
    expect(reading.missing).toContain('natGatewayHourly');
    // What the API did not price keeps the snapshot's figure.
    expect(reading.prices.natGatewayHourly).toBe(
      PRICE_TABLE.regions[REGION].natGatewayHourly,
    );

    const requests = wire.requestsFor('pricing', 'GetProducts');
    const ec2 = requests.filter(
      r =>
        r.json.ServiceCode === 'AmazonEC2' &&
        filterValue(r, 'productFamily') === 'Compute Instance',
    );
    expect(ec2).toHaveLength(2);
    expect(ec2[0].json).toEqual({
      ServiceCode: 'AmazonEC2',
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      Filters: expect.arrayContaining([
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: REGION },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
      ]),
    });
    expect(ec2[1].json.NextToken).toBe('products-2');
    for (const request of requests) {
      expect(request.headers['x-amz-target']).toBe(
        'AWSPriceListService.GetProducts',
      );
      expect(request.headers['content-type']).toBe(
        'application/x-amz-json-1.1',
      );
      // The Price List API is called in us-east-1 although the environment is in eu-central-1.
      expect(request.signature).toMatchObject({
        service: 'pricing',
        region: 'us-east-1',
        accessKeyId: `ASIA${DEV_ACCOUNT}EXAMPLE`,
      });
    }
    expect(dnsGuard.lookups).toEqual([]);
  });
});
