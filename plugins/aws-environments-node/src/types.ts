import type {
  AwsAccountSummary,
  AwsMode,
} from '@internal/plugin-aws-environments-common';

/** One AWS account and Region the portal acts in. */
export interface AwsTarget {
  accountId: string;
  region: string;
}

/**
 * Any AWS SDK v3 client: it has `send` and a `config`. Kept structural so that the factory accepts every
 * `@aws-sdk/client-*` constructor.
 */
export interface AwsSdkClient {
  send(command: any, options?: any): Promise<any>;
  destroy(): void;
  middlewareStack: any;
  config: any;
}

/** Constructor of an AWS SDK v3 client, e.g. `CloudFormationClient`. */
export type AwsClientConstructor<C extends AwsSdkClient> = new (
  config: any,
) => C;

/**
 * The AWS boundary: the only place in the portal that creates AWS SDK clients.
 *
 * - Real mode: credentials from `@backstage/integration-aws-node` (role assumption per account), the SDK's retry
 *   strategy, an optional endpoint override per service.
 * - Simulated mode: the same client classes, answered by the simulated organization inside the client's
 *   middleware stack; no network, no credentials.
 */
export interface AwsClientFactory {
  /** Where the data comes from, so that the UI can label simulated data. */
  readonly mode: AwsMode;

  /**
   * A cached client of the given class for the account and Region.
   * Throws `NotAllowedError` (from `@backstage/errors`) before any STS call when the account or the Region is not
   * on the allowlist.
   */
  getClient<C extends AwsSdkClient>(
    clientClass: AwsClientConstructor<C>,
    target: AwsTarget,
  ): Promise<C>;

  /** The accounts the portal may touch, with their stage and allowed Regions. */
  listAccounts(): AwsAccountSummary[];

  /** Throws `NotAllowedError` when the account or Region is not allowed; returns the account otherwise. */
  assertAllowed(target: AwsTarget): AwsAccountSummary;
}
