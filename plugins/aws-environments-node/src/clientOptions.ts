import type { AwsClientConstructor, AwsSdkClient } from './types';

/**
 * Services whose API lives in one Region whatever Region the caller works in. The Price List API is served from a
 * few Regions only (us-east-1, eu-central-1, ap-south-1) and each prices every Region, so it is pinned too: an
 * environment in eu-west-1 would otherwise get a client for an endpoint that does not exist. Endpoints as listed on
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html (read 2026-12-03).
 */
const GLOBAL_SERVICE_REGIONS: Record<string, string> = {
  costexplorer: 'us-east-1',
  budgets: 'us-east-1',
  pricing: 'us-east-1',
};

/**
 * Key of a client class in `awsEnvironments.endpoints` and in the simulation: the class name in lower case without
 * `Client`, e.g. `CostExplorerClient` -> `costexplorer`.
 */
export function serviceKeyOf(
  clientClass: AwsClientConstructor<AwsSdkClient>,
): string {
  return clientClass.name.replace(/Client$/, '').toLocaleLowerCase('en-US');
}

/** The Region a client of this service must use: pinned for global services, the caller's otherwise. */
export function clientRegionFor(serviceKey: string, region: string): string {
  return GLOBAL_SERVICE_REGIONS[serviceKey] ?? region;
}

/** `innovate-portal/<version>`, sent as the SDK's custom user agent so AWS-side logs show the portal's calls. */
export const PORTAL_USER_AGENT = `innovate-portal/${readPackageVersion()}`;

function readPackageVersion(): string {
  try {
    // eslint-disable-next-line @backstage/no-relative-monorepo-imports, @typescript-eslint/no-require-imports
    return require('../package.json').version as string;
  } catch {
    return '0.0.0';
  }
}
