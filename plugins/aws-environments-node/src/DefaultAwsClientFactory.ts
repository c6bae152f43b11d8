import { readFile } from 'node:fs/promises';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DefaultAwsCredentialsManager,
  type AwsCredentialProvider,
  type AwsCredentialProviderOptions,
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

/**
 * The provider, with failures that say which account's credentials could not be had (and through which role): the
 * SDK's own message, e.g. STS's "The security token included in the request is expired", names neither. The error
 * keeps its name so that callers can still tell an expired token from a denied role.
 */
function withAccountContext(
  provider: AwsCredentialIdentityProvider,
  accountId: string,
  roleArn: string | undefined,
): AwsCredentialIdentityProvider {
  return async properties => {
    try {
      return await provider(properties);
    } catch (error) {
      const original = (error ?? {}) as {
        name?: string;
        message?: string;
        code?: string;
        $fault?: string;
        $metadata?: unknown;
      };
      const wrapped = Object.assign(
        new Error(
          `Could not get AWS credentials for account ${accountId}${
            roleArn ? ` through role ${roleArn}` : ''
          }: ${original.message ?? String(error)}`,
          { cause: error },
        ),
        // What callers branch on stays as AWS (or Node) set it.
        Object.fromEntries(
          (['code', '$fault', '$metadata'] as const)
            .filter(key => original[key] !== undefined)
            .map(key => [key, original[key]]),
        ),
      );
      wrapped.name = original.name ?? 'CredentialsProviderError';
      throw wrapped;
    }
  };
}

/** The role settings of one `aws.accounts` entry (or of `aws.accountDefaults`), as integration-aws-node reads them. */
interface AccountRoleSettings {
  accountId: string;
  roleName?: string;
  partition?: string;
  region?: string;
  externalId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  webIdentityTokenFile?: string;
}

/** Session name of the assumed roles, the one integration-aws-node uses, so that CloudTrail reads the same either way. */
const ROLE_SESSION_NAME = 'backstage';
/** Temporary credentials are renewed this long before they expire, so that no request is signed with a dying key. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

function readRoleSettings(
  config: Config,
  accountId: string,
): AccountRoleSettings {
  return {
    accountId,
    roleName: config.getOptionalString('roleName'),
    partition: config.getOptionalString('partition'),
    region: config.getOptionalString('region'),
    externalId: config.getOptionalString('externalId'),
    accessKeyId: config.getOptionalString('accessKeyId'),
    secretAccessKey: config.getOptionalString('secretAccessKey')?.trim(),
    webIdentityTokenFile: config.getOptionalString('webIdentityTokenFile'),
  };
}

function toIdentity(
  credentials: Credentials | undefined,
  roleArn: string,
): AwsCredentialIdentity {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`STS returned no credentials for role ${roleArn}`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

/** One fetch at a time, its result reused until shortly before it expires; a failure is not kept. */
function renewing(
  fetch: () => Promise<AwsCredentialIdentity>,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const previous = current;
    if (previous) {
      const identity = await previous.catch(() => undefined);
      const expiresAt = identity?.expiration?.getTime();
      if (
        identity &&
        (expiresAt === undefined ||
          expiresAt - Date.now() > RENEW_BEFORE_EXPIRY_MS)
      ) {
        return identity;
      }
    }
    if (current === previous) {
      const next = fetch();
      current = next;
      next.catch(() => {
        if (current === next) {
          current = undefined;
        }
      });
    }
    return current!;
  };
}

/**
 * The credentials of `@backstage/integration-aws-node`'s `aws` config, with every STS call sent to one endpoint
 * (`awsEnvironments.endpoints.sts`), for an AWS-compatible emulator or an STS VPC endpoint.
 *
 * `DefaultAwsCredentialsManager` builds its STS clients itself (for the role assumption of `aws.accounts[].roleName`
 * and `aws.accountDefaults.roleName`, and for the caller-identity lookup that matches the main account) and has no
 * option for their endpoint, so without this every STS call would still go to AWS's public STS endpoint. This
 * manager reads the same keys with the same meaning and makes those calls itself; what needs no STS call (static
 * keys, profiles, the main account's credential chain) and the validation of the `aws` config are left to
 * integration-aws-node.
 */
export class StsEndpointCredentialsManager implements AwsCredentialsManager {
  private readonly providers = new Map<
    string,
    Promise<AwsCredentialProvider>
  >();
  private mainAccountId?: Promise<string | undefined>;

  static fromConfig(
    config: Config,
    options: { endpoint: string; retry?: AwsRetrySettings },
  ): StsEndpointCredentialsManager {
    // Validates the `aws` block exactly as the integration does, and provides everything that needs no STS call.
    const integration = DefaultAwsCredentialsManager.fromConfig(config);
    const accounts = new Map<string, AccountRoleSettings>();
    for (const account of config.getOptionalConfigArray('aws.accounts') ?? []) {
      const accountId = account.getString('accountId');
      accounts.set(accountId, readRoleSettings(account, accountId));
    }
    const defaults = config.getOptionalConfig('aws.accountDefaults');
    return new StsEndpointCredentialsManager({
      integration,
      accounts,
      defaults: defaults ? readRoleSettings(defaults, '') : undefined,
      endpoint: options.endpoint,
      retry: options.retry,
    });
  }

  private constructor(
    private readonly options: {
      integration: AwsCredentialsManager;
      accounts: Map<string, AccountRoleSettings>;
      defaults?: AccountRoleSettings;
      endpoint: string;
      retry?: AwsRetrySettings;
    },
  ) {}

  async getCredentialProvider(
    opts?: AwsCredentialProviderOptions,
  ): Promise<AwsCredentialProvider> {
    // An ARN's fifth field is its account id (`arn:aws:ecs:us-west-2:123456789012:...`).
    const accountId = opts?.accountId || opts?.arn?.split(':')[4] || undefined;
    if (!accountId) {
      return this.options.integration.getCredentialProvider();
    }
    let provider = this.providers.get(accountId);
    if (!provider) {
      provider = this.providerFor(accountId);
      this.providers.set(accountId, provider);
      // A failed lookup (STS unreachable) is tried again next time rather than kept.
      provider.catch(() => {
        if (this.providers.get(accountId) === provider) {
          this.providers.delete(accountId);
        }
      });
    }
    return provider;
  }

  private async providerFor(accountId: string): Promise<AwsCredentialProvider> {
    const listed = this.options.accounts.get(accountId);
    if (listed && !listed.roleName) {
      // Static keys or a profile of the account itself: no STS call involved.
      return this.options.integration.getCredentialProvider({ accountId });
    }
    const role =
      listed ??
      (this.options.defaults?.roleName
        ? { ...this.options.defaults, accountId }
        : undefined);
    if (role) {
      return this.assumedRole(role);
    }
    const main = await this.options.integration.getCredentialProvider();
    const mainAccountId = await this.mainAccount(main);
    if (mainAccountId !== accountId) {
      throw new Error(
        `There is no AWS integration that matches account ${accountId}: add it to aws.accounts (or give aws.accountDefaults a roleName); the portal's own credentials belong to account ${
          mainAccountId ?? 'unknown'
        }`,
      );
    }
    return { ...main, accountId };
  }

  /** The account of the main credentials, asked once from STS (GetCallerIdentity). */
  private mainAccount(
    main: AwsCredentialProvider,
  ): Promise<string | undefined> {
    if (main.accountId) {
      return Promise.resolve(main.accountId);
    }
    if (!this.mainAccountId) {
      const lookup = this.stsClient(main.stsRegion, main.sdkCredentialProvider)
        .send(new GetCallerIdentityCommand({}))
        .then(identity => identity.Account);
      this.mainAccountId = lookup;
      lookup.catch(() => {
        if (this.mainAccountId === lookup) {
          this.mainAccountId = undefined;
        }
      });
    }
    return this.mainAccountId;
  }

  private async assumedRole(
    role: AccountRoleSettings,
  ): Promise<AwsCredentialProvider> {
    const roleArn = `arn:${role.partition ?? 'aws'}:iam::${
      role.accountId
    }:role/${role.roleName}`;
    const stsRegion = role.region ?? 'us-east-1';
    if (role.webIdentityTokenFile) {
      const tokenFile = role.webIdentityTokenFile;
      // AssumeRoleWithWebIdentity is not signed: the token read from the file (rotated by the platform) is the proof.
      const sts = this.stsClient(stsRegion, undefined);
      return {
        accountId: role.accountId,
        stsRegion,
        roleArn,
        sdkCredentialProvider: renewing(async () => {
          const token = await readFile(tokenFile, 'utf8');
          const { Credentials } = await sts.send(
            new AssumeRoleWithWebIdentityCommand({
              RoleArn: roleArn,
              RoleSessionName: ROLE_SESSION_NAME,
              WebIdentityToken: token.trim(),
            }),
          );
          return toIdentity(Credentials, roleArn);
        }),
      };
    }
    const master: AwsCredentialIdentityProvider =
      role.accessKeyId && role.secretAccessKey
        ? async () => ({
            accessKeyId: role.accessKeyId!,
            secretAccessKey: role.secretAccessKey!,
          })
        : (await this.options.integration.getCredentialProvider())
            .sdkCredentialProvider;
    const sts = this.stsClient(stsRegion, master);
    return {
      accountId: role.accountId,
      stsRegion,
      roleArn,
      sdkCredentialProvider: renewing(async () => {
        const { Credentials } = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: ROLE_SESSION_NAME,
            ExternalId: role.externalId,
          }),
        );
        return toIdentity(Credentials, roleArn);
      }),
    };
  }

  private stsClient(
    region: string | undefined,
    credentials: AwsCredentialIdentityProvider | undefined,
  ): STSClient {
    const retry = this.options.retry ?? { mode: 'adaptive', maxAttempts: 6 };
    return new STSClient({
      region: region ?? 'us-east-1',
      endpoint: this.options.endpoint,
      ...(credentials ? { credentials } : {}),
      retryMode: retry.mode,
      maxAttempts: retry.maxAttempts,
      customUserAgent: PORTAL_USER_AGENT,
    });
  }
}

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
    const stsEndpoint = settings.endpoints.sts;
    return new DefaultAwsClientFactory({
      accounts: settings.accounts,
      credentialsManager: stsEndpoint
        ? StsEndpointCredentialsManager.fromConfig(config, {
            endpoint: stsEndpoint,
            retry: settings.retry,
          })
        : DefaultAwsCredentialsManager.fromConfig(config),
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
    const { sdkCredentialProvider, roleArn } =
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
      credentials: withAccountContext(
        sdkCredentialProvider,
        accountId,
        roleArn,
      ),
      retryMode: retry.mode,
      maxAttempts: retry.maxAttempts,
      customUserAgent: PORTAL_USER_AGENT,
      // Left out when not configured so that the SDK's own AWS_ENDPOINT_URL(_<SERVICE>) keeps working.
      ...(endpoint ? { endpoint } : {}),
    });
  }
}
