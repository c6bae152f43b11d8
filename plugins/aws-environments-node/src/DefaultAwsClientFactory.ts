import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DefaultAwsCredentialsManager,
  type AwsCredentialsManager,
} from '@backstage/integration-aws-node';
import type {
  AwsAccountSummary,
  AwsMode,
} from '@internal/plugin-aws-environments-common';
import { AccountAllowlist } from './AccountAllowlist';
import { ClientCache } from './ClientCache';
import {
  clientRegionFor,
  PORTAL_USER_AGENT,
  serviceKeyOf,
} from './clientOptions';
import { readAwsEnvironmentsSettings, type AwsRetrySettings } from './config';
import type {
  AwsClientConstructor,
  AwsClientFactory,
  AwsSdkClient,
  AwsTarget,
} from './types';

export interface DefaultAwsClientFactoryOptions {
  accounts: AwsAccountSummary[];
  credentialsManager: AwsCredentialsManager;
  /** Endpoint override per service key, e.g. `{ cloudformation: 'http://127.0.0.1:4566' }`. */
  endpoints?: Record<string, string>;
  retry?: AwsRetrySettings;
  logger?: LoggerService;
}

/**
 * Real-mode AWS boundary: one cached SDK client per (client class, account, Region), each with the credentials of
 * its account from `@backstage/integration-aws-node`, the portal's retry strategy, user agent and endpoint override.
 */
export class DefaultAwsClientFactory implements AwsClientFactory {
  readonly mode: AwsMode = 'aws';
  private readonly allowlist: AccountAllowlist;
  private readonly clients = new ClientCache();

  static fromConfig(
    config: Config,
    options: { logger?: LoggerService } = {},
  ): DefaultAwsClientFactory {
    const settings = readAwsEnvironmentsSettings(config);
    return new DefaultAwsClientFactory({
      accounts: settings.accounts,
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      endpoints: settings.endpoints,
      retry: settings.retry,
      logger: options.logger,
    });
  }

  constructor(private readonly options: DefaultAwsClientFactoryOptions) {
    this.allowlist = new AccountAllowlist(options.accounts);
  }

  listAccounts(): AwsAccountSummary[] {
    return this.allowlist.list();
  }

  assertAllowed(target: AwsTarget): AwsAccountSummary {
    return this.allowlist.assertAllowed(target);
  }

  async getClient<C extends AwsSdkClient>(
    clientClass: AwsClientConstructor<C>,
    target: AwsTarget,
  ): Promise<C> {
    // Refuse before touching the cache or the credentials manager, which would assume a role through STS.
    this.allowlist.assertAllowed(target);
    const serviceKey = serviceKeyOf(clientClass);
    const region = clientRegionFor(serviceKey, target.region);
    return this.clients.get(clientClass, target.accountId, region, () =>
      this.createClient(clientClass, serviceKey, target.accountId, region),
    );
  }

  private async createClient<C extends AwsSdkClient>(
    clientClass: AwsClientConstructor<C>,
    serviceKey: string,
    accountId: string,
    region: string,
  ): Promise<C> {
    const { sdkCredentialProvider } =
      await this.options.credentialsManager.getCredentialProvider({
        accountId,
      });
    const endpoint = this.options.endpoints?.[serviceKey];
    const retry = this.options.retry ?? { mode: 'adaptive', maxAttempts: 6 };
    this.options.logger?.debug(
      `Creating ${clientClass.name} for account ${accountId} in ${region}${
        endpoint ? ` via ${endpoint}` : ''
      }`,
    );
    const Client = clientClass;
    return new Client({
      region,
      credentials: sdkCredentialProvider,
      retryMode: retry.mode,
      maxAttempts: retry.maxAttempts,
      customUserAgent: PORTAL_USER_AGENT,
      // Left out when not configured so that the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) keeps working.
      ...(endpoint ? { endpoint } : {}),
    });
  }
}
