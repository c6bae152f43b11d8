import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  type TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import { fakeAwsClients } from './__testUtils__/fakeCloudFormation';
import { scaffolderModuleAwsEnvironments } from './module';

describe('scaffolderModuleAwsEnvironments', () => {
  it('registers every action with the scaffolder', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleAwsEnvironments,
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => fakeAwsClients(),
        }),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => ({
            publish: async () => {},
            subscribe: async () => {},
          }),
        }),
        catalogServiceMock.factory(),
      ],
    });

    expect(actions.map(a => a.id).sort()).toEqual([
      'innovate:cloudformation:deploy',
      'innovate:environment:deploy',
      'innovate:environment:destroy',
      'innovate:environment:drift',
      'innovate:environment:plan',
      'innovate:environment:register',
    ]);
    expect(
      actions.every(a => a.supportsDryRun && (a.examples?.length ?? 0) > 0),
    ).toBe(true);
  });
});
