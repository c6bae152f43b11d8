import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  type EntityProvider,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  type EventParams,
  type EventsServiceSubscribeOptions,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  type AwsClientFactory,
  awsClientFactoryServiceRef,
} from '@internal/plugin-aws-environments-node';
import { mockClient } from 'aws-sdk-client-mock';
import { ENVIRONMENTS_CHANGED_TOPIC } from '@internal/plugin-aws-environments-common';
import { catalogModuleAwsEnvironments } from './module';

describe('catalogModuleAwsEnvironments', () => {
  it('adds the provider and discovers again when an environment changed', async () => {
    const providers: EntityProvider[] = [];
    const subscriptions: EventsServiceSubscribeOptions[] = [];
    const cloudFormation = mockClient(CloudFormationClient);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    const awsClients: AwsClientFactory = {
      mode: 'simulated',
      listAccounts: () => [
        {
          accountId: '222222222222',
          name: 'innovate-dev',
          stage: 'dev',
          regions: ['eu-central-1'],
          defaultRegion: 'eu-central-1',
        },
      ],
      assertAllowed: () => awsClients.listAccounts()[0],
      getClient: async (ClientClass, target) =>
        new ClientClass({
          region: target.region,
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        }),
    };

    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (...p: EntityProvider[]) => providers.push(...p),
          },
        ],
      ],
      features: [
        catalogModuleAwsEnvironments,
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => awsClients,
        }),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => ({
            publish: async () => {},
            subscribe: async (options: EventsServiceSubscribeOptions) => {
              subscriptions.push(options);
            },
          }),
        }),
      ],
    });

    expect(providers.map(p => p.getProviderName())).toEqual([
      'aws-environments',
    ]);
    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    await providers[0].connect(connection);
    connection.applyMutation.mockClear();

    const subscription = subscriptions.find(s =>
      s.topics.includes(ENVIRONMENTS_CHANGED_TOPIC),
    )!;
    await subscription.onEvent({
      topic: ENVIRONMENTS_CHANGED_TOPIC,
      eventPayload: { environment: 'innovate-qa' },
    } as EventParams);

    expect(connection.applyMutation).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'full' }),
    );
  });
});
