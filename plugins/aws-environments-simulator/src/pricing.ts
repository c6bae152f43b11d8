import { createHash } from 'node:crypto';
import {
  PRICE_TABLE,
  type RegionPrices,
} from '@internal/plugin-aws-environments-common';
import { awsError } from './errors';
import type { CommandContext, CommandHandlers } from './types';

/**
 * The simulated AWS Price List Query API (`pricing` `GetProducts`). Its products are built from the portal's dated
 * price snapshot (`PRICE_TABLE` in the common package, whose header names the AWS pages and the date its figures
 * come from), in the shape and with the attribute names the real API uses, so that a reader written against it
 * works against AWS unchanged. Only the Regions of the snapshot have products; any other Region has none, as a
 * Region the API does not know would.
 *
 * Next to the products the portal prices, the catalog holds products a correct query must leave out (Windows and
 * Dedicated instances, Multi-AZ databases, Aurora I/O-Optimized, gp2 volumes, NAT data processing, the ALB's trust
 * store hours, internet egress). Their prices are not AWS's: they are ten times the price of the product they sit
 * next to, so that a filter letting them through shows in the figures at once.
 */

/** What the real API answers per page when `MaxResults` is not given, and the most it accepts. */
const MAX_RESULTS = 100;
/** Multiplier of the decoy products' prices (see above). */
const DECOY_FACTOR = 10;

/** Region names the Price List uses in its `location` attribute. */
const LOCATIONS: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'eu-central-1': 'EU (Frankfurt)',
};

/**
 * The prefix AWS puts before a usage type of the Region (`EUC1-BoxUsage:t3.small`). In us-east-1 most usage types
 * carry none (`BoxUsage:t3.small`), while a few newer ones do (`USE1-AmazonEKS-Hours:perCluster`); the simulation
 * does the same, so that readers handle both.
 */
const USAGE_PREFIXES: Record<string, { all: string; newer: string }> = {
  'us-east-1': { all: '', newer: 'USE1-' },
  'eu-central-1': { all: 'EUC1-', newer: 'EUC1-' },
};

interface SimulatedProduct {
  serviceCode: string;
  productFamily: string;
  attributes: Record<string, string>;
  usd: number;
  unit: string;
  description: string;
}

function regionProducts(
  region: string,
  prices: RegionPrices,
): SimulatedProduct[] {
  const location = LOCATIONS[region] ?? region;
  const prefix = USAGE_PREFIXES[region] ?? { all: '', newer: '' };
  const products: SimulatedProduct[] = [];
  const add = (
    serviceCode: string,
    productFamily: string,
    attributes: Record<string, string>,
    usd: number,
    unit: string,
    description: string,
  ) =>
    products.push({
      serviceCode,
      productFamily,
      attributes: {
        servicecode: serviceCode,
        regionCode: region,
        location,
        locationType: 'AWS Region',
        ...attributes,
      },
      usd,
      unit,
      description,
    });

  // EC2 instances: the Linux, shared-tenancy product is the one priced; Windows and Dedicated are decoys.
  for (const [instanceType, usd] of Object.entries(prices.ec2Hourly)) {
    const base = {
      instanceType,
      capacitystatus: 'Used',
      preInstalledSw: 'NA',
    };
    add(
      'AmazonEC2',
      'Compute Instance',
      {
        ...base,
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        licenseModel: 'No License required',
        operation: 'RunInstances',
        usagetype: `${prefix.all}BoxUsage:${instanceType}`,
      },
      usd,
      'Hrs',
      `$${usd} per On Demand Linux ${instanceType} Instance Hour`,
    );
    add(
      'AmazonEC2',
      'Compute Instance',
      {
        ...base,
        operatingSystem: 'Windows',
        tenancy: 'Shared',
        licenseModel: 'No License required',
        operation: 'RunInstances:0002',
        usagetype: `${prefix.all}BoxUsage:${instanceType}`,
      },
      usd * DECOY_FACTOR,
      'Hrs',
      `On Demand Windows ${instanceType} Instance Hour`,
    );
    add(
      'AmazonEC2',
      'Compute Instance',
      {
        ...base,
        operatingSystem: 'Linux',
        tenancy: 'Dedicated',
        licenseModel: 'No License required',
        operation: 'RunInstances',
        usagetype: `${prefix.all}DedicatedUsage:${instanceType}`,
      },
      usd * DECOY_FACTOR,
      'Hrs',
      `On Demand Linux ${instanceType} Dedicated Instance Hour`,
    );
  }

  // RDS for PostgreSQL instances: Single-AZ is priced; Multi-AZ is a decoy.
  for (const [instanceType, usd] of Object.entries(prices.rdsPostgresHourly)) {
    const base = {
      instanceType,
      databaseEngine: 'PostgreSQL',
      licenseModel: 'No license required',
      operation: 'CreateDBInstance:0014',
    };
    add(
      'AmazonRDS',
      'Database Instance',
      {
        ...base,
        deploymentOption: 'Single-AZ',
        usagetype: `${prefix.all}InstanceUsage:${instanceType}`,
      },
      usd,
      'Hrs',
      `$${usd} per RDS ${instanceType} Single-AZ instance hour (or partial hour) running PostgreSQL`,
    );
    add(
      'AmazonRDS',
      'Database Instance',
      {
        ...base,
        deploymentOption: 'Multi-AZ',
        usagetype: `${prefix.all}Multi-AZUsage:${instanceType}`,
      },
      usd * DECOY_FACTOR,
      'Hrs',
      `RDS ${instanceType} Multi-AZ instance hour running PostgreSQL`,
    );
  }

  // Aurora PostgreSQL instances: Aurora Standard (`EBS Only`) is priced; I/O-Optimized is a decoy.
  for (const [instanceType, usd] of Object.entries(
    prices.auroraPostgresHourly,
  )) {
    const base = {
      instanceType,
      databaseEngine: 'Aurora PostgreSQL',
      deploymentOption: 'Single-AZ',
      operation: 'CreateDBInstance:0021',
    };
    add(
      'AmazonRDS',
      'Database Instance',
      {
        ...base,
        storage: 'EBS Only',
        usagetype: `${prefix.all}InstanceUsage:${instanceType}`,
      },
      usd,
      'Hrs',
      `$${usd} per RDS ${instanceType} instance hour (or partial hour) running Aurora PostgreSQL`,
    );
    add(
      'AmazonRDS',
      'Database Instance',
      {
        ...base,
        storage: 'Aurora IO Optimization Mode',
        usagetype: `${prefix.all}InstanceUsageIOOptimized:${instanceType}`,
      },
      usd * DECOY_FACTOR,
      'Hrs',
      `RDS ${instanceType} I/O-Optimized instance hour running Aurora PostgreSQL`,
    );
  }

  // EKS: the cluster-hour, and the extended-support surcharge billed on top of it.
  add(
    'AmazonEKS',
    'Compute',
    {
      operation: 'CreateOperation',
      usagetype: `${prefix.newer}AmazonEKS-Hours:perCluster`,
    },
    prices.eksClusterHourly,
    'Hours',
    `Amazon EKS cluster usage in ${location}`,
  );
  add(
    'AmazonEKS',
    'Compute',
    {
      operation: 'ExtendedSupport',
      usagetype: `${prefix.newer}AmazonEKS-Hours:extendedSupport`,
    },
    roundPrice(prices.eksClusterExtendedHourly - prices.eksClusterHourly),
    'Hours',
    `Amazon EKS extended support in ${location}`,
  );

  // NAT gateway hours are priced; data processing is a decoy.
  add(
    'AmazonEC2',
    'NAT Gateway',
    {
      group: 'NGW:NatGateway',
      operation: 'NatGateway',
      usagetype: `${prefix.all}NatGateway-Hours`,
    },
    prices.natGatewayHourly,
    'Hrs',
    `$${prices.natGatewayHourly} per NAT Gateway Hour`,
  );
  add(
    'AmazonEC2',
    'NAT Gateway',
    {
      group: 'NGW:NatGateway',
      operation: 'NatGateway',
      usagetype: `${prefix.all}NatGateway-Bytes`,
    },
    prices.natGatewayHourly * DECOY_FACTOR,
    'GB',
    'NAT Gateway data processed',
  );

  // Application Load Balancer: hours and LCU-hours; trust store hours are a decoy.
  const alb = { operation: 'LoadBalancing:Application' };
  add(
    'AWSELB',
    'Load Balancer-Application',
    { ...alb, usagetype: `${prefix.all}LoadBalancerUsage` },
    prices.albHourly,
    'Hrs',
    `$${prices.albHourly} per Application LoadBalancer-hour (or partial hour)`,
  );
  add(
    'AWSELB',
    'Load Balancer-Application',
    { ...alb, usagetype: `${prefix.all}LCUUsage` },
    prices.albLcuHourly,
    'LCU-Hrs',
    `$${prices.albLcuHourly} per used Application load balancer capacity unit-hour (or partial hour)`,
  );
  add(
    'AWSELB',
    'Load Balancer-Application',
    { ...alb, usagetype: `${prefix.all}TS-LoadBalancerUsage` },
    prices.albHourly * DECOY_FACTOR,
    'Hrs',
    'Application load balancer trust store hour',
  );

  // Storage.
  add(
    'AmazonEC2',
    'Storage',
    {
      volumeApiName: 'gp3',
      volumeType: 'General Purpose',
      usagetype: `${prefix.all}EBS:VolumeUsage.gp3`,
    },
    prices.ebsGp3GbMonth,
    'GB-Mo',
    `$${prices.ebsGp3GbMonth} per GB-month of General Purpose (gp3) provisioned storage`,
  );
  add(
    'AmazonEC2',
    'Storage',
    {
      volumeApiName: 'gp2',
      volumeType: 'General Purpose',
      usagetype: `${prefix.all}EBS:VolumeUsage.gp2`,
    },
    prices.ebsGp3GbMonth * DECOY_FACTOR,
    'GB-Mo',
    'General Purpose (gp2) provisioned storage',
  );
  add(
    'AmazonRDS',
    'Database Storage',
    {
      volumeType: 'General Purpose-GP3',
      databaseEngine: 'PostgreSQL',
      deploymentOption: 'Single-AZ',
      usagetype: `${prefix.all}RDS:GP3-Storage`,
    },
    prices.rdsStorageGbMonth,
    'GB-Mo',
    `$${prices.rdsStorageGbMonth} per GB-month of provisioned gp3 storage running PostgreSQL`,
  );
  add(
    'AmazonRDS',
    'Database Storage',
    {
      volumeType: 'General Purpose-GP3',
      databaseEngine: 'PostgreSQL',
      deploymentOption: 'Multi-AZ',
      usagetype: `${prefix.all}RDS:Multi-AZ-GP3-Storage`,
    },
    prices.rdsStorageGbMonth * DECOY_FACTOR,
    'GB-Mo',
    'Multi-AZ provisioned gp3 storage running PostgreSQL',
  );
  add(
    'AmazonRDS',
    'Database Storage',
    {
      volumeType: 'General Purpose-Aurora',
      databaseEngine: 'Any',
      deploymentOption: 'Single-AZ',
      usagetype: `${prefix.all}Aurora:StorageUsage`,
    },
    prices.auroraStorageGbMonth,
    'GB-Mo',
    `$${prices.auroraStorageGbMonth} per GB-month of Aurora storage`,
  );
  add(
    'AmazonRDS',
    'Database Storage',
    {
      volumeType: 'IO Optimized-Aurora',
      databaseEngine: 'Any',
      deploymentOption: 'Single-AZ',
      usagetype: `${prefix.all}Aurora:IO-OptimizedStorageUsage`,
    },
    prices.auroraStorageGbMonth * DECOY_FACTOR,
    'GB-Mo',
    'Aurora I/O-Optimized storage',
  );
  add(
    'AmazonRDS',
    'Storage Snapshot',
    {
      databaseEngine: 'Any',
      usagetype: `${prefix.all}RDS:ChargedBackupUsage`,
    },
    prices.backupStorageGbMonth,
    'GB-Mo',
    `$${prices.backupStorageGbMonth} per additional GB-month of backup storage`,
  );
  return products;
}

/** Inter-Region transfer out of each Region to each other one; internet egress is a decoy. */
function transferProducts(): SimulatedProduct[] {
  const regions = Object.keys(PRICE_TABLE.regions);
  const products: SimulatedProduct[] = [];
  for (const from of regions) {
    const prices = PRICE_TABLE.regions[from];
    const fromPrefix = USAGE_PREFIXES[from]?.newer ?? '';
    const common = {
      servicecode: 'AWSDataTransfer',
      fromRegionCode: from,
      fromLocation: LOCATIONS[from] ?? from,
      fromLocationType: 'AWS Region',
    };
    for (const to of regions.filter(r => r !== from)) {
      products.push({
        serviceCode: 'AWSDataTransfer',
        productFamily: 'Data Transfer',
        attributes: {
          ...common,
          toRegionCode: to,
          toLocation: LOCATIONS[to] ?? to,
          toLocationType: 'AWS Region',
          transferType: 'InterRegion Outbound',
          usagetype: `${fromPrefix}${(USAGE_PREFIXES[to]?.newer ?? '').replace(
            /-$/,
            '',
          )}-AWS-Out-Bytes`,
        },
        usd: prices.interRegionTransferGb,
        unit: 'GB',
        description: `$${prices.interRegionTransferGb} per GB - ${LOCATIONS[from]} data transfer to ${LOCATIONS[to]}`,
      });
    }
    products.push({
      serviceCode: 'AWSDataTransfer',
      productFamily: 'Data Transfer',
      attributes: {
        ...common,
        toLocation: 'External',
        toLocationType: 'Other',
        transferType: 'AWS Outbound',
        usagetype: `${fromPrefix}DataTransfer-Out-Bytes`,
      },
      usd: prices.interRegionTransferGb * DECOY_FACTOR,
      unit: 'GB',
      description: 'Data transfer out to the internet',
    });
  }
  return products;
}

function roundPrice(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** A stable SKU per product, as AWS's are: the same product keeps its SKU across runs. */
function skuOf(product: SimulatedProduct): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        product.serviceCode,
        product.productFamily,
        product.attributes,
      ]),
    )
    .digest('hex')
    .slice(0, 16)
    .toUpperCase();
}

/** One PriceList entry as the API returns it: a JSON string (FormatVersion aws_v1) with on-demand terms only. */
function toPriceListItem(product: SimulatedProduct): string {
  const sku = skuOf(product);
  const offerTermCode = 'JRTCKXETXF';
  const term = `${sku}.${offerTermCode}`;
  return JSON.stringify({
    product: {
      productFamily: product.productFamily,
      attributes: product.attributes,
      sku,
    },
    serviceCode: product.serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [`${term}.6YS6EN2CT7`]: {
              unit: product.unit,
              endRange: 'Inf',
              description: product.description,
              appliesTo: [],
              rateCode: `${term}.6YS6EN2CT7`,
              beginRange: '0',
              pricePerUnit: { USD: roundPrice(product.usd).toFixed(10) },
            },
          },
          sku,
          offerTermCode,
          termAttributes: {},
        },
      },
    },
  });
}

interface GetProductsInput {
  ServiceCode?: string;
  Filters?: Array<{ Type?: string; Field?: string; Value?: string }>;
  FormatVersion?: string;
  MaxResults?: number;
  NextToken?: string;
}

function invalid(message: string): Error {
  return awsError('pricing', 'InvalidParameterException', message);
}

/** The token of the next page: where it starts, bound to the query it belongs to. */
function encodeToken(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: query, o: offset })).toString(
    'base64',
  );
}

function decodeToken(token: string, query: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (parsed?.q === query && Number.isInteger(parsed.o) && parsed.o > 0) {
      return parsed.o;
    }
  } catch {
    // Falls through to the error below, as for a token of another query.
  }
  throw awsError(
    'pricing',
    'InvalidNextTokenException',
    'The pagination token is invalid. Use the NextToken of the previous page of the same request.',
  );
}

/** The value of a filter field on a product: an attribute, or the product's own `productFamily` or `sku`. */
function fieldValue(
  product: SimulatedProduct,
  field: string,
): string | undefined {
  if (field in product.attributes) {
    return product.attributes[field];
  }
  if (field === 'productFamily') {
    return product.productFamily;
  }
  if (field === 'sku') {
    return skuOf(product);
  }
  return undefined;
}

/** The simulated Price List Query API: `GetProducts` of the snapshot's products. */
export function pricingHandlers(): CommandHandlers {
  const catalog = [
    ...Object.entries(PRICE_TABLE.regions).flatMap(([region, prices]) =>
      regionProducts(region, prices),
    ),
    ...transferProducts(),
  ];
  const serviceCodes = new Set(catalog.map(p => p.serviceCode));

  return {
    GetProducts: (_ctx: CommandContext, input: GetProductsInput) => {
      const serviceCode = input.ServiceCode;
      if (!serviceCode) {
        throw invalid('ServiceCode is required, e.g. AmazonEC2.');
      }
      if (input.FormatVersion && input.FormatVersion !== 'aws_v1') {
        throw invalid(
          `FormatVersion ${input.FormatVersion} is not valid; the only format is aws_v1.`,
        );
      }
      const maxResults = input.MaxResults ?? MAX_RESULTS;
      if (
        !Number.isInteger(maxResults) ||
        maxResults < 1 ||
        maxResults > MAX_RESULTS
      ) {
        throw invalid(
          `MaxResults must be a whole number from 1 to ${MAX_RESULTS}.`,
        );
      }
      const filters = input.Filters ?? [];
      for (const filter of filters) {
        if (filter.Type !== 'TERM_MATCH') {
          throw invalid(
            `Filter type ${filter.Type} is not supported by the simulated Price List API; use TERM_MATCH.`,
          );
        }
        if (!filter.Field || filter.Value === undefined) {
          throw invalid('Every filter needs a Field and a Value.');
        }
      }
      if (!serviceCodes.has(serviceCode)) {
        // The real API knows every AWS service; the simulation only those the portal prices, and none has products.
        return { FormatVersion: 'aws_v1', PriceList: [] };
      }
      const matching = catalog.filter(
        product =>
          product.serviceCode === serviceCode &&
          filters.every(
            filter => fieldValue(product, filter.Field!) === filter.Value,
          ),
      );
      const query = JSON.stringify([serviceCode, filters, maxResults]);
      const start = input.NextToken ? decodeToken(input.NextToken, query) : 0;
      const page = matching.slice(start, start + maxResults);
      const next = start + maxResults;
      return {
        FormatVersion: 'aws_v1',
        PriceList: page.map(toPriceListItem),
        ...(next < matching.length
          ? { NextToken: encodeToken(query, next) }
          : {}),
      };
    },
  };
}
