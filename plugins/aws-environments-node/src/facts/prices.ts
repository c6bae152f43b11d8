import {
  GetProductsCommand,
  PricingClient,
  type Filter,
} from '@aws-sdk/client-pricing';
import { InputError } from '@backstage/errors';
import {
  FALLBACK_PRICE_REGION,
  PRICE_TABLE,
  type FactSource,
  type RegionPrices,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory, AwsTarget } from '../types';

/**
 * Reads the list prices of one Region from the AWS Price List Query API (`GetProducts`), for exactly the figures of
 * `RegionPrices` the cost estimate uses: one paginated query per kind of product, filtered to the Region and the
 * product type, then matched to the instance types and classes the shipped snapshot lists. A figure the API does not
 * answer unambiguously keeps the snapshot's value and is named in `missing`.
 */

/** Scalar figures of `RegionPrices`. */
type ScalarKey = Exclude<
  keyof RegionPrices,
  'ec2Hourly' | 'rdsPostgresHourly' | 'auroraPostgresHourly'
>;
/** Per-type figures of `RegionPrices`. */
type PerTypeKey = 'ec2Hourly' | 'rdsPostgresHourly' | 'auroraPostgresHourly';

/** What one read of a Region's prices found. */
export interface RegionPricesReading {
  region: string;
  /** Every figure: the ones read from the API, and the snapshot's for those in `missing`. */
  prices: RegionPrices;
  /**
   * Figures the API did not price (no product matched, or products with different prices did), which keep the
   * snapshot's value: `natGatewayHourly`, or `ec2Hourly.t3.small` for one instance type.
   */
  missing: string[];
  /** How many figures were read from the API; 0 when it has no products for the Region. */
  pricedCount: number;
  /** The Region of the snapshot whose figures fill in `missing` (the fallback Region when the Region has none). */
  snapshotRegion: string;
  /** `aws`, or `simulated` when the simulated organization answered. */
  source: FactSource;
  /** When the prices were read. */
  readAt: Date;
}

export interface ReadRegionPricesOptions {
  /** The Region to price, e.g. `eu-central-1`. */
  region: string;
  /**
   * The account whose credentials call the API (any allowed one works: the API is the same for all). Default: an
   * account allowed in `region`, else the first allowed account.
   */
  accountId?: string;
  /** Products per page (`MaxResults`, 1 to 100). */
  pageSize?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** The most products the API returns per page. */
const MAX_PAGE_SIZE = 100;
/** A guard against a token that never ends; no query of this reader comes near it. */
const MAX_PAGES = 200;

/** A usage type, with or without the Region's prefix (`EUC1-`, `EU-`; none for most in us-east-1). */
function usageType(attributes: Record<string, string>, suffix: string) {
  const value = attributes.usagetype ?? '';
  const prefix = value.slice(0, value.length - suffix.length);
  return (
    value.endsWith(suffix) &&
    (prefix === '' || /^([A-Z]{2,4}\d-|EU-)$/.test(prefix))
  );
}

interface ProductQuery {
  serviceCode: string;
  /** TERM_MATCH filters besides the Region's. */
  filters: Record<string, string>;
  /** The attribute that names the Region (`regionCode`, `fromRegionCode` for data transfer). */
  regionField?: string;
  /** The figure a product prices, if any. */
  pick: (attributes: Record<string, string>) => string | undefined;
  /** When products for one figure differ (a price per destination), take the price most of them have. */
  mostCommon?: boolean;
}

/** Key of the EKS extended-support surcharge, which the Price List bills on top of the cluster-hour. */
const EKS_SURCHARGE = 'eksExtendedSupportSurcharge';

/**
 * The queries, with the attribute values of the AWS Price List (service codes AmazonEC2, AmazonRDS, AmazonEKS,
 * AWSELB and AWSDataTransfer; see
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html and the attribute
 * values `GetAttributeValues` returns).
 */
const QUERIES: ProductQuery[] = [
  {
    serviceCode: 'AmazonEC2',
    filters: {
      productFamily: 'Compute Instance',
      operatingSystem: 'Linux',
      tenancy: 'Shared',
      preInstalledSw: 'NA',
      capacitystatus: 'Used',
      licenseModel: 'No License required',
    },
    pick: a => (a.instanceType ? `ec2Hourly.${a.instanceType}` : undefined),
  },
  {
    serviceCode: 'AmazonRDS',
    filters: {
      productFamily: 'Database Instance',
      databaseEngine: 'PostgreSQL',
      deploymentOption: 'Single-AZ',
    },
    pick: a =>
      a.instanceType ? `rdsPostgresHourly.${a.instanceType}` : undefined,
  },
  {
    // Aurora Standard; I/O-Optimized instances have the storage `Aurora IO Optimization Mode`.
    serviceCode: 'AmazonRDS',
    filters: {
      productFamily: 'Database Instance',
      databaseEngine: 'Aurora PostgreSQL',
      storage: 'EBS Only',
    },
    pick: a =>
      a.instanceType ? `auroraPostgresHourly.${a.instanceType}` : undefined,
  },
  {
    serviceCode: 'AmazonEKS',
    filters: {},
    pick: a => {
      if (usageType(a, 'AmazonEKS-Hours:perCluster')) return 'eksClusterHourly';
      if (usageType(a, 'AmazonEKS-Hours:extendedSupport')) return EKS_SURCHARGE;
      return undefined;
    },
  },
  {
    serviceCode: 'AmazonEC2',
    filters: { productFamily: 'NAT Gateway' },
    pick: a =>
      usageType(a, 'NatGateway-Hours') ? 'natGatewayHourly' : undefined,
  },
  {
    serviceCode: 'AWSELB',
    filters: { productFamily: 'Load Balancer-Application' },
    pick: a => {
      if (usageType(a, 'LoadBalancerUsage')) return 'albHourly';
      if (usageType(a, 'LCUUsage')) return 'albLcuHourly';
      return undefined;
    },
  },
  {
    serviceCode: 'AmazonEC2',
    filters: { productFamily: 'Storage', volumeApiName: 'gp3' },
    pick: a =>
      usageType(a, 'EBS:VolumeUsage.gp3') ? 'ebsGp3GbMonth' : undefined,
  },
  {
    serviceCode: 'AmazonRDS',
    filters: {
      productFamily: 'Database Storage',
      volumeType: 'General Purpose-GP3',
      databaseEngine: 'PostgreSQL',
      deploymentOption: 'Single-AZ',
    },
    pick: a =>
      usageType(a, 'RDS:GP3-Storage') ? 'rdsStorageGbMonth' : undefined,
  },
  {
    serviceCode: 'AmazonRDS',
    filters: {
      productFamily: 'Database Storage',
      volumeType: 'General Purpose-Aurora',
    },
    pick: a =>
      usageType(a, 'Aurora:StorageUsage') ? 'auroraStorageGbMonth' : undefined,
  },
  {
    // RDS snapshots kept by AWS Backup are billed as RDS backup storage.
    serviceCode: 'AmazonRDS',
    filters: { productFamily: 'Storage Snapshot' },
    pick: a =>
      usageType(a, 'RDS:ChargedBackupUsage')
        ? 'backupStorageGbMonth'
        : undefined,
  },
  {
    // One product per destination Region; the estimate uses one figure for a copy to any of them.
    serviceCode: 'AWSDataTransfer',
    filters: { transferType: 'InterRegion Outbound' },
    regionField: 'fromRegionCode',
    pick: () => 'interRegionTransferGb',
    mostCommon: true,
  },
];

function term(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

/**
 * One PriceList entry as an object. Against AWS the SDK hands each out as a boxed string with a JSON parser attached
 * (`LazyJsonString`); the simulation as a plain string. An entry that is not JSON is skipped.
 */
function parsePriceListItem(item: unknown): any {
  try {
    if (typeof item === 'string' || item instanceof String) {
      return JSON.parse(String(item));
    }
  } catch {
    return undefined;
  }
  return item && typeof item === 'object' ? item : undefined;
}

/** The on-demand price per unit in USD of one PriceList entry, when it has exactly one positive one. */
function onDemandUsd(product: any): number | undefined {
  const prices = new Set<number>();
  for (const offer of Object.values<any>(product?.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values<any>(offer?.priceDimensions ?? {})) {
      // Tiered prices start at 0; the first tier is the list price of a small environment.
      if (dimension?.beginRange !== undefined && dimension.beginRange !== '0') {
        continue;
      }
      const usd = Number(dimension?.pricePerUnit?.USD);
      if (Number.isFinite(usd) && usd > 0) {
        prices.add(usd);
      }
    }
  }
  return prices.size === 1 ? [...prices][0] : undefined;
}

/** The price most products have; on a tie, the higher one, so that the estimate does not come out low. */
function mostCommonPrice(prices: number[]): number {
  const counts = new Map<number, number>();
  for (const price of prices) {
    counts.set(price, (counts.get(price) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
}

function roundPrice(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** The account and Region whose client calls the API: the factory pins the client to the API's own Region. */
function callerFor(
  factory: AwsClientFactory,
  region: string,
  accountId: string | undefined,
): AwsTarget {
  const accounts = factory.listAccounts();
  if (accountId) {
    const account = accounts.find(a => a.accountId === accountId);
    const callerRegion = account?.regions.includes(region)
      ? region
      : account?.defaultRegion ?? account?.regions[0] ?? region;
    return { accountId, region: callerRegion };
  }
  const inRegion = accounts.find(a => a.regions.includes(region));
  if (inRegion) {
    return { accountId: inRegion.accountId, region };
  }
  const any = accounts.find(a => a.regions.length > 0);
  if (!any) {
    throw new InputError(
      'No AWS account is on the portal allowlist (awsEnvironments.accounts), so prices cannot be read from AWS.',
    );
  }
  return {
    accountId: any.accountId,
    region: any.defaultRegion ?? any.regions[0],
  };
}

/**
 * Reads the list prices of a Region through the factory's PricingClient. Throws when the API cannot be called (an
 * account not allowed, a denied or throttled request); a Region the API has no products for is not an error: its
 * reading has `pricedCount` 0 and every figure in `missing`.
 */
export async function readRegionPrices(
  factory: AwsClientFactory,
  options: ReadRegionPricesOptions,
): Promise<RegionPricesReading> {
  const { region } = options;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    throw new InputError(
      `${region} is not an AWS Region such as eu-central-1, so it cannot be priced.`,
    );
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InputError(
      `The page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`,
    );
  }
  const snapshotRegion = PRICE_TABLE.regions[region]
    ? region
    : FALLBACK_PRICE_REGION;
  const snapshot = PRICE_TABLE.regions[snapshotRegion];
  const client = await factory.getClient(
    PricingClient,
    callerFor(factory, region, options.accountId),
  );

  // Candidate prices per figure, from every product that prices it.
  const found = new Map<string, number[]>();
  const mostCommonKeys = new Set<string>();
  for (const query of QUERIES) {
    const filters = [
      term(query.regionField ?? 'regionCode', region),
      ...Object.entries(query.filters).map(([field, value]) =>
        term(field, value),
      ),
    ];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new GetProductsCommand({
          ServiceCode: query.serviceCode,
          Filters: filters,
          FormatVersion: 'aws_v1',
          MaxResults: pageSize,
          NextToken: nextToken,
        }),
      );
      for (const item of page.PriceList ?? []) {
        const product = parsePriceListItem(item);
        if (!product) {
          continue;
        }
        const key = query.pick(product?.product?.attributes ?? {});
        const usd = key ? onDemandUsd(product) : undefined;
        if (key && usd !== undefined) {
          found.set(key, [...(found.get(key) ?? []), usd]);
          if (query.mostCommon) mostCommonKeys.add(key);
        }
      }
      const previous = nextToken;
      nextToken = page.NextToken || undefined;
      pages += 1;
      if (nextToken !== undefined && nextToken === previous) {
        break;
      }
    } while (nextToken && pages < MAX_PAGES);
  }

  /** The price of a figure when the products agree (or, for per-destination figures, the usual one). */
  const priceOf = (key: string): number | undefined => {
    const prices = found.get(key);
    if (!prices?.length) return undefined;
    if (mostCommonKeys.has(key)) return mostCommonPrice(prices);
    return new Set(prices).size === 1 ? prices[0] : undefined;
  };

  const missing: string[] = [];
  let pricedCount = 0;
  const perType = (key: PerTypeKey): Record<string, number> =>
    Object.fromEntries(
      Object.entries(snapshot[key]).map(([type, snapshotUsd]) => {
        const usd = priceOf(`${key}.${type}`);
        if (usd === undefined) {
          missing.push(`${key}.${type}`);
          return [type, snapshotUsd];
        }
        pricedCount += 1;
        return [type, usd];
      }),
    );
  const scalar = (key: ScalarKey, usd: number | undefined): number => {
    if (usd === undefined) {
      missing.push(key);
      return snapshot[key];
    }
    pricedCount += 1;
    return usd;
  };
  const eksStandard = priceOf('eksClusterHourly');
  const eksSurcharge = priceOf(EKS_SURCHARGE);
  const prices: RegionPrices = {
    ec2Hourly: perType('ec2Hourly'),
    rdsPostgresHourly: perType('rdsPostgresHourly'),
    auroraPostgresHourly: perType('auroraPostgresHourly'),
    eksClusterHourly: scalar('eksClusterHourly', eksStandard),
    // The Price List bills extended support as a surcharge on top of the cluster-hour; the estimate wants the sum.
    eksClusterExtendedHourly: scalar(
      'eksClusterExtendedHourly',
      eksStandard !== undefined && eksSurcharge !== undefined
        ? roundPrice(eksStandard + eksSurcharge)
        : undefined,
    ),
    natGatewayHourly: scalar('natGatewayHourly', priceOf('natGatewayHourly')),
    albHourly: scalar('albHourly', priceOf('albHourly')),
    albLcuHourly: scalar('albLcuHourly', priceOf('albLcuHourly')),
    rdsStorageGbMonth: scalar(
      'rdsStorageGbMonth',
      priceOf('rdsStorageGbMonth'),
    ),
    auroraStorageGbMonth: scalar(
      'auroraStorageGbMonth',
      priceOf('auroraStorageGbMonth'),
    ),
    ebsGp3GbMonth: scalar('ebsGp3GbMonth', priceOf('ebsGp3GbMonth')),
    backupStorageGbMonth: scalar(
      'backupStorageGbMonth',
      priceOf('backupStorageGbMonth'),
    ),
    interRegionTransferGb: scalar(
      'interRegionTransferGb',
      priceOf('interRegionTransferGb'),
    ),
  };

  return {
    region,
    prices,
    missing,
    pricedCount,
    snapshotRegion,
    source: factory.mode === 'aws' ? 'aws' : 'simulated',
    readAt: (options.now ?? (() => new Date()))(),
  };
}
