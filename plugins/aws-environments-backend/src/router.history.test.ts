import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ENVIRONMENT_HISTORY_TOPIC,
  type EnvironmentHistoryEntry,
  type EnvironmentHistoryResponse,
} from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import { SimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import request from 'supertest';
import { environmentEntity } from './__testUtils__/fixtures';
import { ownerOrPlatformTeamDecision } from './permissions';
import plugin from './index';

const WEB_TEAM_MEMBER = 'user:default/mock';
const PLATFORM_TEAM_MEMBER = 'user:default/platform-engineer';
const ownership: Record<string, string[]> = {
  [WEB_TEAM_MEMBER]: [WEB_TEAM_MEMBER, 'group:default/web-team'],
  [PLATFORM_TEAM_MEMBER]: [PLATFORM_TEAM_MEMBER, 'group:default/platform-team'],
};

function entry(
  overrides: Partial<EnvironmentHistoryEntry>,
): EnvironmentHistoryEntry {
  return {
    id: 'task:t-1:deploy',
    entityRef: 'resource:default/innovate-dev',
    operation: 'create',
    actor: WEB_TEAM_MEMBER,
    task: { id: 't-1', stepId: 'deploy', url: '/create/tasks/t-1' },
    inputs: {},
    changes: [],
    result: 'succeeded',
    message: 'Created innovate-dev.',
    startedAt: '2026-11-20T10:00:00.000Z',
    completedAt: '2026-11-20T10:20:00.000Z',
    ...overrides,
  };
}

async function startBackend() {
  const events = mockServices.events();
  const auditor = mockServices.auditor.mock();
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async requests =>
      requests.map(() => ({ result: 'ALLOW' as const })),
    ),
    // Innovate's policy: the platform team everywhere, others where they own.
    authorizeConditional: jest.fn(async (requests, { credentials }) =>
      requests.map(({ permission }) =>
        ownerOrPlatformTeamDecision(
          permission as any,
          ownership[(credentials.principal as any).userEntityRef] ?? [],
          { platformTeam: 'group:default/platform-team' },
        ),
      ),
    ),
  });
  const { server } = await startTestBackend({
    features: [
      plugin,
      mockServices.scheduler.mock().factory,
      permissions.factory,
      auditor.factory,
      catalogServiceMock.factory({
        entities: [environmentEntity({ name: 'innovate-dev' })],
      }),
      mockServices.rootConfig.factory({ data: {} }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => new SimulatedAwsClientFactory(),
      }),
    ],
  });
  const publish = (payload: unknown) =>
    events.publish({
      topic: ENVIRONMENT_HISTORY_TOPIC,
      eventPayload: payload as any,
    });
  const history = (name: string, user = WEB_TEAM_MEMBER, query = '') =>
    request(server)
      .get(`/api/aws-environments/environments/default/${name}/history${query}`)
      .set('Authorization', mockCredentials.user.header(user));
  return { server, publish, history, auditor };
}

describe('GET /environments/:namespace/:name/history', () => {
  it('answers the entries published for the environment, newest first, a page at a time', async () => {
    const { publish, history } = await startBackend();
    await publish(entry({}));
    await publish(
      entry({
        id: 'task:t-2:deploy',
        operation: 'update',
        completedAt: '2026-11-21T10:00:00.000Z',
      }),
    );
    await publish(
      entry({
        id: 'task:t-3:destroy',
        operation: 'teardown',
        result: 'failed',
        completedAt: '2026-11-22T10:00:00.000Z',
      }),
    );
    // Not an entry: left out, not stored half.
    await publish({ environment: 'innovate-dev', removed: true });

    const first = await history('innovate-dev', WEB_TEAM_MEMBER, '?limit=2');
    expect(first.status).toBe(200);
    const body = first.body as EnvironmentHistoryResponse;
    expect(body.totalCount).toBe(3);
    expect(body.items.map(i => i.operation)).toEqual(['teardown', 'update']);
    expect(body.nextOffset).toBe(2);

    const second = await history(
      'innovate-dev',
      WEB_TEAM_MEMBER,
      '?limit=2&offset=2',
    );
    expect(second.body.items.map((i: EnvironmentHistoryEntry) => i.id)).toEqual(
      ['task:t-1:deploy'],
    );
    expect(second.body.nextOffset).toBeUndefined();
  });

  it('keeps the history of a torn-down environment for the platform team only', async () => {
    const { publish, history } = await startBackend();
    await publish(
      entry({
        id: 'task:t-9:destroy',
        entityRef: 'resource:default/innovate-gone',
        operation: 'teardown',
      }),
    );

    const platform = await history('innovate-gone', PLATFORM_TEAM_MEMBER);
    expect(platform.status).toBe(200);
    expect(platform.body.items[0].operation).toBe('teardown');

    const web = await history('innovate-gone', WEB_TEAM_MEMBER);
    expect(web.status).toBe(404);
    expect(web.body.error.message).toBe(
      'No AWS environment resource:default/innovate-gone in the catalog',
    );
  });

  it('refuses a page size out of range with a sentence', async () => {
    const { history } = await startBackend();
    const response = await history('innovate-dev', WEB_TEAM_MEMBER, '?limit=0');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(
      'Invalid query: limit must be a whole number from 1 to 100.',
    );
  });

  it('audits an on-demand refresh and shows it in the history, with who asked', async () => {
    const { server, history, auditor } = await startBackend();
    const refreshed = await request(server)
      .post(
        '/api/aws-environments/environments/default/innovate-dev/refresh?section=health',
      )
      .set('Authorization', mockCredentials.user.header(WEB_TEAM_MEMBER));
    expect(refreshed.status).toBe(200);

    let items: EnvironmentHistoryEntry[] = [];
    for (let attempt = 0; attempt < 50 && items.length === 0; attempt++) {
      items = (await history('innovate-dev')).body.items;
      if (items.length === 0) await new Promise(r => setTimeout(r, 20));
    }
    expect(items).toEqual([
      expect.objectContaining({
        operation: 'refresh',
        actor: WEB_TEAM_MEMBER,
        result: 'succeeded',
        inputs: { sections: ['health'] },
      }),
    ]);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'environment-refresh',
        meta: {
          entityRef: 'resource:default/innovate-dev',
          sections: ['health'],
        },
      }),
    );
    const event = await (auditor.createEvent as jest.Mock).mock.results[0]
      .value;
    expect(event.success).toHaveBeenCalledWith({ meta: { status: 200 } });
  });
});
