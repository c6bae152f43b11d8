import { NotAllowedError } from '@backstage/errors';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import type { AwsTarget } from './types';

/**
 * The accounts and Regions the portal may act in. Every AWS client is built behind this check, so an account id
 * typed into a form or written on an entity never reaches STS unless the platform team listed it.
 */
export class AccountAllowlist {
  private readonly byId: Map<string, AwsAccountSummary>;

  constructor(accounts: AwsAccountSummary[]) {
    this.byId = new Map(accounts.map(a => [a.accountId, a]));
  }

  list(): AwsAccountSummary[] {
    return [...this.byId.values()].map(a => ({
      ...a,
      regions: [...a.regions],
    }));
  }

  assertAllowed(target: AwsTarget): AwsAccountSummary {
    const account = this.byId.get(String(target?.accountId ?? ''));
    if (!account) {
      const allowed = [...this.byId.values()]
        .map(a => `${a.accountId} (${a.name})`)
        .join(', ');
      throw new NotAllowedError(
        `AWS account '${
          target?.accountId
        }' is not on the portal's allowlist (awsEnvironments.accounts); allowed: ${
          allowed || 'none'
        }`,
      );
    }
    if (!account.regions.includes(target.region)) {
      throw new NotAllowedError(
        `Region '${target.region}' is not allowed for AWS account ${
          account.accountId
        } (${account.name}); allowed: ${account.regions.join(', ')}`,
      );
    }
    return account;
  }
}
