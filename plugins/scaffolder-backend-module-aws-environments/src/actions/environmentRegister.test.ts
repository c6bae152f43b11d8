import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EventsService } from '@backstage/plugin-events-node';
import yaml from 'yaml';
import { FAST_SETTINGS, actionContext } from '../__testUtils__/actionHarness';
import { ENVIRONMENTS_CHANGED_TOPIC } from '@internal/plugin-aws-environments-common';
import { testAccess } from '../__testUtils__/access';
import {
  FakeCloudFormation,
  fakeAwsClients,
} from '../__testUtils__/fakeCloudFormation';
import { createEnvironmentRegisterAction } from './environmentRegister';
import { examples } from './environmentRegister.examples';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'innovate-qa', namespace: 'default' },
  spec: { type: 'aws-environment', owner: 'group:default/web-team' },
};

function fakeEvents(onPublish: () => void = () => {}) {
  const published: unknown[] = [];
  const events: EventsService = {
    publish: async params => {
      published.push(params);
      onPublish();
    },
    subscribe: async () => {},
  };
  return { events, published };
}

describe('innovate:environment:register', () => {
  // The action reads the environment's stacks (for their owner) when the catalog does not know it yet.
  beforeEach(() => new FakeCloudFormation());

  it('publishes the discovery event and returns once the catalog has the entity', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const { events, published } = fakeEvents();
    // The catalog provider reacts to the event after a couple of polls.
    const getEntityByRef = jest
      .spyOn(catalog, 'getEntityByRef')
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(undefined)
      .mockResolvedValue(entity as any);
    const action = createEnvironmentRegisterAction({
      awsClients: fakeAwsClients(),
      access: testAccess(),
      settings: { ...FAST_SETTINGS, pollIntervalSeconds: 0.01 },
      events,
      catalog,
    });
    const { ctx, outputs } = actionContext({
      name: 'innovate-qa',
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await action.handler(ctx);

    expect(published).toEqual([
      {
        topic: ENVIRONMENTS_CHANGED_TOPIC,
        eventPayload: {
          environment: 'innovate-qa',
          accountId: '222222222222',
          region: 'eu-central-1',
        },
      },
    ]);
    expect(getEntityByRef).toHaveBeenCalledWith(
      'resource:default/innovate-qa',
      {
        credentials: expect.anything(),
      },
    );
    expect(outputs.entityRef).toBe('resource:default/innovate-qa');
  });

  it('fails with a clear message when the entity never appears', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const { events } = fakeEvents();
    const action = createEnvironmentRegisterAction({
      awsClients: fakeAwsClients(),
      access: testAccess(),
      settings: { ...FAST_SETTINGS, pollIntervalSeconds: 0.01 },
      events,
      catalog,
    });
    const { ctx } = actionContext({ name: 'innovate-qa', timeoutSeconds: 1 });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(
        /did not appear in the catalog within 1 s/,
      ),
    });
  });

  it('stops waiting when the task is cancelled', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const controller = new AbortController();
    const { events } = fakeEvents(() => controller.abort());
    const action = createEnvironmentRegisterAction({
      awsClients: fakeAwsClients(),
      access: testAccess(),
      settings: FAST_SETTINGS,
      events,
      catalog,
    });
    const { ctx } = actionContext(
      { name: 'innovate-qa' },
      { signal: controller.signal },
    );

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'TaskCancelledError',
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const catalog = catalogServiceMock({ entities: [entity as any] });
      const { events } = fakeEvents();
      const action = createEnvironmentRegisterAction({
        awsClients: fakeAwsClients(),
        access: testAccess(),
        settings: FAST_SETTINGS,
        events,
        catalog,
      });
      const { ctx, outputs } = actionContext(
        yaml.parse(example).steps[0].input,
      );
      await action.handler(ctx);
      expect(outputs.entityRef).toBe('resource:default/innovate-qa');
    },
  );
});
