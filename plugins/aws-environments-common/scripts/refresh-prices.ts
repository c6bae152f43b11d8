/**
 * Prints current on-demand list prices from the AWS Price List API in the shape of `PRICE_TABLE.regions` in
 * `src/pricing.ts`, for the instance types and classes the table already lists (read from the table itself). Review the output and paste it into
 * the table, then set `asOf` to the current month.
 *
 * Needs credentials allowed `pricing:GetProducts` (any account; the API is global and free). From the repository
 * root:
 *
 *   source scripts/env.sh
 *   node --experimental-strip-types plugins/aws-environments-common/scripts/refresh-prices.ts eu-central-1 us-east-1
 *
 * Storage, backup, WAF, KMS, Secrets Manager and CloudWatch prices change rarely; the script prints them too where
 * the Price List API has a single unambiguous product, and leaves the rest for a look at the AWS pricing pages.
 */
/* eslint-disable no-console */
// A maintainer's tool run from the repository, where the access layer's dependency on client-pricing resolves.
// eslint-disable-next-line @backstage/no-undeclared-imports
import {
  PricingClient,
  paginateGetProducts,
  type Filter,
} from '@aws-sdk/client-pricing';
import { FALLBACK_PRICE_REGION, PRICE_TABLE } from '../src/pricing.ts';

// Price exactly what the table lists today; add a type to the table first to have it priced.
const listed = PRICE_TABLE.regions[FALLBACK_PRICE_REGION];
const EC2_TYPES = Object.keys(listed.ec2Hourly);
const RDS_CLASSES = Object.keys(listed.rdsPostgresHourly);
const AURORA_CLASSES = Object.keys(listed.auroraPostgresHourly);

// The Price List API is served from us-east-1 (and a few other Regions) whatever Region is priced.
const client = new PricingClient({ region: 'us-east-1' });

function term(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

/** The first on-demand price per unit in USD of the products matching the filters. */
async function onDemandUsd(
  serviceCode: string,
  filters: Filter[],
): Promise<number | undefined> {
  for await (const page of paginateGetProducts(
    { client },
    { ServiceCode: serviceCode, Filters: filters, FormatVersion: 'aws_v1' },
  )) {
    for (const item of page.PriceList ?? []) {
      const product = JSON.parse(item);
      for (const offer of Object.values<any>(product.terms?.OnDemand ?? {})) {
        for (const dimension of Object.values<any>(
          offer.priceDimensions ?? {},
        )) {
          const usd = Number(dimension.pricePerUnit?.USD);
          if (usd > 0) {
            return usd;
          }
        }
      }
    }
  }
  return undefined;
}

async function pricesOf(
  names: string[],
  lookup: (name: string) => Promise<number | undefined>,
): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const name of names) {
    const price = await lookup(name);
    if (price === undefined) {
      console.error(`  no price found for ${name}`);
    } else {
      result[name] = price;
    }
  }
  return result;
}

async function regionPrices(region: string) {
  console.error(`Pricing ${region} ...`);
  const ec2Hourly = await pricesOf(EC2_TYPES, type =>
    onDemandUsd('AmazonEC2', [
      term('regionCode', region),
      term('instanceType', type),
      term('operatingSystem', 'Linux'),
      term('tenancy', 'Shared'),
      term('preInstalledSw', 'NA'),
      term('capacitystatus', 'Used'),
      term('licenseModel', 'No License required'),
    ]),
  );
  const rdsPostgresHourly = await pricesOf(RDS_CLASSES, instanceClass =>
    onDemandUsd('AmazonRDS', [
      term('regionCode', region),
      term('instanceType', instanceClass),
      term('databaseEngine', 'PostgreSQL'),
      term('deploymentOption', 'Single-AZ'),
    ]),
  );
  const auroraPostgresHourly = await pricesOf(AURORA_CLASSES, instanceClass =>
    onDemandUsd('AmazonRDS', [
      term('regionCode', region),
      term('instanceType', instanceClass),
      term('databaseEngine', 'Aurora PostgreSQL'),
      term('storage', 'EBS Only'),
    ]),
  );
  const eksClusterHourly = await onDemandUsd('AmazonEKS', [
    term('regionCode', region),
    term('operation', 'CreateOperation'),
  ]);
  const natGatewayHourly = await onDemandUsd('AmazonEC2', [
    term('regionCode', region),
    term('productFamily', 'NAT Gateway'),
    term('group', 'NGW:NatGateway'),
  ]);
  const albHourly = await onDemandUsd('AWSELB', [
    term('regionCode', region),
    term('productFamily', 'Load Balancer-Application'),
    term('groupDescription', 'Used Application load balancer hours'),
  ]);
  const rdsStorageGbMonth = await onDemandUsd('AmazonRDS', [
    term('regionCode', region),
    term('productFamily', 'Database Storage'),
    term('volumeType', 'General Purpose-GP3'),
    term('databaseEngine', 'PostgreSQL'),
    term('deploymentOption', 'Single-AZ'),
  ]);
  const ebsGp3GbMonth = await onDemandUsd('AmazonEC2', [
    term('regionCode', region),
    term('productFamily', 'Storage'),
    term('volumeApiName', 'gp3'),
  ]);
  return {
    ec2Hourly,
    rdsPostgresHourly,
    auroraPostgresHourly,
    eksClusterHourly,
    natGatewayHourly,
    albHourly,
    rdsStorageGbMonth,
    ebsGp3GbMonth,
  };
}

async function main() {
  const regions = process.argv.slice(2);
  if (regions.length === 0) {
    regions.push('eu-central-1', 'us-east-1');
  }
  const table: Record<string, unknown> = {};
  for (const region of regions) {
    table[region] = await regionPrices(region);
  }
  console.log(
    `// Taken ${new Date()
      .toISOString()
      .slice(0, 7)} from the AWS Price List API`,
  );
  console.log(JSON.stringify(table, null, 2));
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
