import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EKSClient } from '@aws-sdk/client-eks';
import { PricingClient } from '@aws-sdk/client-pricing';
import { NotAllowedError } from '@backstage/errors';
import { ConfigReader } from '@backstage/config';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DefaultAwsClientFactory } from './DefaultAwsClientFactory';
import { createAwsClientFactory } from './factory';
import type { AwsClientFactory } from './types';
import { PORTAL_USER_AGENT } from './clientOptions';

const accounts = [
  {
    accountId: '222222222222',
    name: 'innovate-dev',
    stage: 'dev' as const,
    regions: ['eu-central-1'],
    defaultRegion: 'eu-central-1',
  },
  {
    accountId: '333333333333',
    name: 'innovate-prod',
    stage: 'prod' as const,
    regions: ['eu-central-1', 'eu-west-1'],
    defaultRegion: 'eu-central-1',
  },
];

function credentialsFor(accountId: string) {
  return {
    accessKeyId: `AKIA${accountId}`,
    secretAccessKey: `secret-${accountId}`,
  };
}

function mockCredentialsManager() {
  const getCredentialProvider = jest.fn(
    async (opts?: { accountId?: string }) => ({
      accountId: opts?.accountId,
      sdkCredentialProvider: async () =>
        credentialsFor(opts?.accountId ?? 'main'),
    }),
  );
  return { getCredentialProvider } as unknown as AwsCredentialsManager & {
    getCredentialProvider: typeof getCredentialProvider;
  };
}

describe('DefaultAwsClientFactory', () => {
  const cloudFormation = mockClient(CloudFormationClient);

  beforeEach(() => {
    cloudFormation.reset();
  });

  it('gives each client the credentials of its account and the requested Region', async () => {
    const credentialsManager = mockCredentialsManager();
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });

    const dev = await factory.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    const prod = await factory.getClient(CloudFormationClient, {
      accountId: '333333333333',
      region: 'eu-west-1',
    });

    expect(credentialsManager.getCredentialProvider).toHaveBeenCalledWith({
      accountId: '222222222222',
    });
    expect(credentialsManager.getCredentialProvider).toHaveBeenCalledWith({
      accountId: '333333333333',
    });
    await expect(dev.config.credentials()).resolves.toMatchObject(
      credentialsFor('222222222222'),
    );
    await expect(prod.config.credentials()).resolves.toMatchObject(
      credentialsFor('333333333333'),
    );
    await expect(dev.config.region()).resolves.toBe('eu-central-1');
    await expect(prod.config.region()).resolves.toBe('eu-west-1');
  });

  it('sends commands through the client it hands out', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
    });
    const client = await factory.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await client.send(
      new DescribeStacksCommand({ StackName: 'innovate-dev-network' }),
    );

    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, {
      StackName: 'innovate-dev-network',
    });
  });

  it('configures retries, the user agent and an endpoint override once for every client', async () => {
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
      retry: { mode: 'standard', maxAttempts: 9 },
      endpoints: { cloudformation: 'http://127.0.0.1:4566' },
    });
    const cfn = await factory.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    const eks = await factory.getClient(EKSClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await expect(cfn.config.maxAttempts()).resolves.toBe(9);
    await expect(cfn.config.retryStrategy()).resolves.toMatchObject({
      mode: 'standard',
    });
    expect(JSON.stringify(cfn.config.customUserAgent)).toContain(
      PORTAL_USER_AGENT,
    );
    const endpoint = await cfn.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(
      'http://127.0.0.1:4566',
    );
    // No override for EKS: the SDK resolves the endpoint itself (and honours AWS_ENDPOINT_URL).
    expect(eks.config.endpoint).toBeUndefined();
  });

  it('uses the adaptive retry strategy by default', async () => {
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
    });
    const client = await factory.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    await expect(client.config.retryStrategy()).resolves.toMatchObject({
      mode: 'adaptive',
    });
    await expect(client.config.maxAttempts()).resolves.toBe(6);
  });

  it('pins Cost Explorer to us-east-1 whatever Region the caller works in', async () => {
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
    });
    const client = await factory.getClient(CostExplorerClient, {
      accountId: '333333333333',
      region: 'eu-west-1',
    });
    await expect(client.config.region()).resolves.toBe('us-east-1');
  });

  it('pins the Price List API to us-east-1 whatever Region the caller works in', async () => {
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
    });
    const client = await factory.getClient(PricingClient, {
      accountId: '333333333333',
      region: 'eu-west-1',
    });
    await expect(client.config.region()).resolves.toBe('us-east-1');
  });

  it('names the account and the role when its credentials cannot be had, keeping the error name', async () => {
    const expired = Object.assign(
      new Error('The security token included in the request is expired'),
      { name: 'ExpiredToken' },
    );
    const credentialsManager = {
      getCredentialProvider: async () => ({
        accountId: '222222222222',
        roleArn: 'arn:aws:iam::222222222222:role/innovate-portal',
        sdkCredentialProvider: async () => {
          throw expired;
        },
      }),
    };
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });
    const client = await factory.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await expect(client.config.credentials()).rejects.toMatchObject({
      name: 'ExpiredToken',
      message:
        'Could not get AWS credentials for account 222222222222 through role arn:aws:iam::222222222222:role/innovate-portal: The security token included in the request is expired',
      cause: expired,
    });
  });

  it('caches one client per class, account and Region', async () => {
    const credentialsManager = mockCredentialsManager();
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });
    const target = { accountId: '222222222222', region: 'eu-central-1' };

    const [first, second] = await Promise.all([
      factory.getClient(CloudFormationClient, target),
      factory.getClient(CloudFormationClient, target),
    ]);
    const eks = await factory.getClient(EKSClient, target);
    const otherRegion = await factory.getClient(CloudFormationClient, {
      accountId: '333333333333',
      region: 'eu-west-1',
    });

    expect(first).toBe(second);
    expect(eks).not.toBe(first);
    expect(otherRegion).not.toBe(first);
    expect(credentialsManager.getCredentialProvider).toHaveBeenCalledTimes(3);
  });

  it('refuses an account that is not on the allowlist before any credential lookup or AWS call', async () => {
    const credentialsManager = mockCredentialsManager();
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });

    const attempt = factory.getClient(CloudFormationClient, {
      accountId: '999999999999',
      region: 'eu-central-1',
    });

    await expect(attempt).rejects.toThrow(NotAllowedError);
    await expect(attempt).rejects.toThrow(
      /999999999999.*allowed: 222222222222 \(innovate-dev\), 333333333333 \(innovate-prod\)/,
    );
    expect(credentialsManager.getCredentialProvider).not.toHaveBeenCalled();
    expect(cloudFormation).not.toHaveReceivedAnyCommand();
  });

  it('refuses a Region the account does not allow', async () => {
    const credentialsManager = mockCredentialsManager();
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });

    await expect(
      factory.getClient(CloudFormationClient, {
        accountId: '222222222222',
        region: 'us-east-1',
      }),
    ).rejects.toThrow(
      /Region 'us-east-1' is not allowed for AWS account 222222222222/,
    );
    expect(credentialsManager.getCredentialProvider).not.toHaveBeenCalled();
  });

  it('tries the credentials again after a failed lookup instead of caching the failure', async () => {
    const credentialsManager = mockCredentialsManager();
    credentialsManager.getCredentialProvider.mockRejectedValueOnce(
      new Error('STS unavailable'),
    );
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager,
    });
    const target = { accountId: '222222222222', region: 'eu-central-1' };

    await expect(
      factory.getClient(CloudFormationClient, target),
    ).rejects.toThrow('STS unavailable');
    await expect(
      factory.getClient(CloudFormationClient, target),
    ).resolves.toBeInstanceOf(CloudFormationClient);
  });

  it('lists the allowed accounts', () => {
    const factory = new DefaultAwsClientFactory({
      accounts,
      credentialsManager: mockCredentialsManager(),
    });
    expect(factory.listAccounts().map(a => a.accountId)).toEqual([
      '222222222222',
      '333333333333',
    ]);
    expect(factory.mode).toBe('aws');
  });
});

describe('createAwsClientFactory', () => {
  it('builds the real-mode factory from config, with the accounts of awsEnvironments.accounts', () => {
    const factory = createAwsClientFactory({
      config: new ConfigReader({
        aws: { mainAccount: {} },
        awsEnvironments: {
          mode: 'aws',
          accounts: [
            {
              accountId: '222222222222',
              name: 'innovate-dev',
              stage: 'dev',
              regions: ['eu-central-1'],
            },
          ],
          retry: { mode: 'adaptive', maxAttempts: 4 },
        },
      }),
    });
    expect(factory.mode).toBe('aws');
    expect(factory.listAccounts()).toEqual([
      {
        accountId: '222222222222',
        name: 'innovate-dev',
        stage: 'dev',
        regions: ['eu-central-1'],
        defaultRegion: 'eu-central-1',
      },
    ]);
  });

  it('refuses an endpoint override that is not an http(s) URL, naming the key', () => {
    expect(() =>
      createAwsClientFactory({
        config: new ConfigReader({
          awsEnvironments: {
            mode: 'aws',
            accounts: [
              { accountId: '222222222222', regions: ['eu-central-1'] },
            ],
            endpoints: { sts: '127.0.0.1:4566' },
          },
        }),
      }),
    ).toThrow(
      "awsEnvironments.endpoints.sts must be an http(s) URL such as http://127.0.0.1:4566, got '127.0.0.1:4566'",
    );
  });

  it('refuses real mode without an allowlist', () => {
    expect(() =>
      createAwsClientFactory({
        config: new ConfigReader({ awsEnvironments: { mode: 'aws' } }),
      }),
    ).toThrow(/awsEnvironments.accounts must list/);
  });

  it('refuses simulated mode, which this package does not include, with what to do instead', () => {
    expect(() =>
      createAwsClientFactory({
        config: new ConfigReader({
          awsEnvironments: { simulation: { seed: 3 } },
        }),
      }),
    ).toThrow(
      "awsEnvironments.mode is 'simulated', but this backend does not include the simulated AWS organization: set awsEnvironments.mode to aws and list the allowed accounts, or install the simulator's client factory service.",
    );
  });

  it('hands simulated mode to the simulator it is given, with the settings read from config', () => {
    const fakeFactory = { mode: 'simulated' } as unknown as AwsClientFactory;
    const simulated = jest.fn(() => fakeFactory);
    expect(
      createAwsClientFactory({
        config: new ConfigReader({
          awsEnvironments: { simulation: { seed: 3 } },
        }),
        simulated,
      }),
    ).toBe(fakeFactory);
    expect(simulated).toHaveBeenCalledWith(
      expect.objectContaining({
        mode: 'simulated',
        simulation: expect.objectContaining({ seed: 3 }),
      }),
    );
  });
});
