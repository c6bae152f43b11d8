import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';

const NO_REGIONS: string[] = [];

/** The Regions the portal may use in an account, the default one included. */
export function regionsOf(account: AwsAccountSummary | undefined): string[] {
  if (!account) {
    return NO_REGIONS;
  }
  return account.regions.length > 0 ? account.regions : [account.defaultRegion];
}
