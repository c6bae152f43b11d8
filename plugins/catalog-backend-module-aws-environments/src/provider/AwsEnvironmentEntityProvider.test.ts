import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  type AwsAccountSummary,
  ENVIRONMENT_LAYERS,
  isAwsEnvironment,
} from '@internal/plugin-aws-environments-common';
import {
  type AwsClientFactory,
  DEFAULT_SIMULATED_ACCOUNTS,
} from '@internal/plugin-aws-environments-node';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsEnvironmentEntityProvider } from './AwsEnvironmentEntityProvider';

// The workload accounts of the simulated organization.
const ACCOUNTS: AwsAccountSummary[] = DEFAULT_SIMULATED_ACCOUNTS.filter(
  account => account.stage !== 'shared',
);

function environmentStacks(
  name: string,
  stage: string,
  status = 'CREATE_COMPLETE',
  layers: readonly string[] = ENVIRONMENT_LAYERS,
): Stack[] {
  return layers.map(layer => ({
    StackName: `${name}-${layer}`,
    StackStatus: status as Stack['StackStatus'],
    CreationTime: new Date(0),
    Tags: [
      { Key: 'innovate:environment', Value: name },
      { Key: 'innovate:layer', Value: layer },
      { Key: 'innovate:stage', Value: stage },
      { Key: 'innovate:owner', Value: 'group:default/web-team' },
      { Key: 'innovate:system', Value: 'system:default/innovate-web' },
      { Key: 'innovate:template', Value: 'aws-environment' },
      { Key: 'innovate:template-version', Value: '1.0.0' },
    ],
  }));
}

function setup(stacksByAccount: Record<string, Stack[]>) {
  const clients = new Map<string, CloudFormationClient>();
  const awsClients: AwsClientFactory = {
    mode: 'simulated',
    listAccounts: () => ACCOUNTS,
    assertAllowed: target =>
      ACCOUNTS.find(a => a.accountId === target.accountId)!,
    getClient: async (ClientClass, target) => {
      const client = new ClientClass({
        region: target.region,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      clients.set(target.accountId, client as unknown as CloudFormationClient);
      return client;
    },
  };
  const cloudFormation = mockClient(CloudFormationClient);
  cloudFormation
    .on(DescribeStacksCommand)
    .callsFake(async (_input, getClient) => {
      const client = getClient();
      const accountId = [...clients.entries()].find(
        ([, c]) => c === client,
      )?.[0];
      return { Stacks: stacksByAccount[accountId ?? ''] ?? [] };
    });
  const connection = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  } satisfies EntityProviderConnection;
  const provider = new AwsEnvironmentEntityProvider({
    awsClients,
    logger: mockServices.logger.mock(),
  });
  const applied = (): Entity[] =>
    connection.applyMutation.mock.calls
      .at(-1)[0]
      .entities.map((e: { entity: Entity }) => e.entity);
  return { provider, connection, applied, cloudFormation };
}

describe('AwsEnvironmentEntityProvider', () => {
  it('publishes each environment with its parts and the allowed accounts', async () => {
    const { provider, connection, applied } = setup({
      '222222222222': [
        ...environmentStacks('innovate-dev', 'dev'),
        ...environmentStacks('innovate-staging', 'staging'),
      ],
      '333333333333': environmentStacks('innovate-prod', 'prod'),
    });
    await provider.connect(connection);
    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'full' }),
    );
    const entities = applied();
    const byName = new Map(entities.map(e => [e.metadata.name, e]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'aws-account-222222222222',
        'aws-account-333333333333',
        ...['innovate-dev', 'innovate-staging', 'innovate-prod'].flatMap(
          env => [
            env,
            `${env}-vpc`,
            `${env}-eks`,
            `${env}-database`,
            `${env}-cdn`,
          ],
        ),
      ].sort(),
    );

    const prod = byName.get('innovate-prod')!;
    expect(isAwsEnvironment(prod)).toBe(true);
    expect(prod.metadata.annotations).toMatchObject({
      [ANNOTATION_ACCOUNT_ID]: '333333333333',
      [ANNOTATION_REGION]: 'eu-central-1',
      [ANNOTATION_STAGE]: 'prod',
      [ANNOTATION_TEMPLATE]: 'aws-environment@1.0.0',
      [ANNOTATION_STACKS]: ENVIRONMENT_LAYERS.map(
        l => `innovate-prod-${l}`,
      ).join(','),
      'backstage.io/managed-by-location': 'provider:aws-environments',
      'backstage.io/managed-by-origin-location': 'provider:aws-environments',
    });
    expect(prod.metadata.tags).toEqual(['prod']);
    expect(prod.spec).toEqual({
      type: 'aws-environment',
      owner: 'group:default/web-team',
      system: 'system:default/innovate-web',
      dependsOn: [
        'resource:default/innovate-prod-vpc',
        'resource:default/innovate-prod-eks',
        'resource:default/innovate-prod-database',
        'resource:default/innovate-prod-cdn',
        'resource:default/aws-account-333333333333',
      ],
    });
    expect(byName.get('innovate-prod-eks')!.spec).toMatchObject({
      type: 'eks-cluster',
      owner: 'group:default/web-team',
      dependencyOf: ['resource:default/innovate-prod'],
    });
    expect(byName.get('aws-account-333333333333')!.spec).toEqual({
      type: 'aws-account',
      owner: 'group:default/platform-team',
    });
  });

  it('drops an environment whose stacks are all being deleted', async () => {
    const { provider, connection, applied } = setup({
      '222222222222': [
        ...environmentStacks('innovate-dev', 'dev'),
        ...environmentStacks('innovate-qa', 'dev', 'DELETE_IN_PROGRESS'),
      ],
    });
    await provider.connect(connection);
    await provider.refresh();

    const names = applied().map(e => e.metadata.name);
    expect(names).toContain('innovate-dev');
    expect(names.some(n => n.startsWith('innovate-qa'))).toBe(false);
  });

  it('only lists the parts whose stacks exist', async () => {
    const { provider, connection, applied } = setup({
      '222222222222': environmentStacks(
        'innovate-qa',
        'dev',
        'CREATE_COMPLETE',
        ['network', 'security'],
      ),
    });
    await provider.connect(connection);
    await provider.refresh();

    const env = applied().find(e => e.metadata.name === 'innovate-qa')!;
    expect((env.spec as { dependsOn: string[] }).dependsOn).toEqual([
      'resource:default/innovate-qa-vpc',
      'resource:default/aws-account-222222222222',
    ]);
  });

  it('keeps the catalog as it is when an account cannot be read', async () => {
    const { provider, connection, cloudFormation } = setup({});
    cloudFormation.on(DescribeStacksCommand).rejects(new Error('AccessDenied'));
    await provider.connect(connection);

    await expect(provider.refresh()).rejects.toThrow('AccessDenied');
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });
});
