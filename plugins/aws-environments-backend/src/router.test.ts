import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentNameProblem } from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import request from 'supertest';
import {
  PROD_ACCOUNT,
  environmentEntity,
  fakeAwsClientFactory,
  templateEntity,
} from './__testUtils__/fixtures';
import { ownerOrPlatformTeamDecision } from './permissions';
import plugin from './index';
import { collectAccountCostSeries } from './service/collectors/costs';
import { collectAccountFindings } from './service/collectors/findings';
import {
  collectHealth,
  collectHealthAndStacks,
} from './service/collectors/health';

jest.mock('./service/collectors/health', () => ({
  ...jest.requireActual('./service/collectors/health'),
  collectHealth: jest.fn(),
  collectHealthAndStacks: jest.fn(),
}));
jest.mock('./service/collectors/costs', () => ({
  ...jest.requireActual('./service/collectors/costs'),
  collectAccountCostSeries: jest.fn(),
}));
jest.mock('./service/collectors/findings', () => ({
  ...jest.requireActual('./service/collectors/findings'),
  collectAccountFindings: jest.fn(),
}));

const entities = [
  environmentEntity({ name: 'innovate-dev' }),
  environmentEntity({
    name: 'innovate-prod',
    accountId: PROD_ACCOUNT,
    stage: 'prod',
    owner: 'group:default/ops-team',
  }),
  templateEntity('aws-environment', '1.2.0'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'some-bucket', namespace: 'default' },
    spec: { type: 's3-bucket', owner: 'group:default/web-team' },
  },
];

const WEB_TEAM_MEMBER = 'user:default/mock';
const PLATFORM_TEAM_MEMBER = 'user:default/platform-engineer';
/** The ownership refs the policy sees for each test user. */
const ownership: Record<string, string[]> = {
  [WEB_TEAM_MEMBER]: [WEB_TEAM_MEMBER, 'group:default/web-team'],
  [PLATFORM_TEAM_MEMBER]: [PLATFORM_TEAM_MEMBER, 'group:default/platform-team'],
  'user:default/other-web-dev': [
    'user:default/other-web-dev',
    'group:default/web-team',
  ],
};

const findings = (critical: number) => ({
  source: 'securityhub' as const,
  counts: { CRITICAL: critical, HIGH: 1, MEDIUM: 0, LOW: 2, INFORMATIONAL: 0 },
  byProduct: { GuardDuty: 1, Inspector: critical, 'Security Hub': 2 },
  top: [
    {
      id: 'a',
      title: 'critical one',
      severity: 'CRITICAL' as const,
      product: 'Inspector',
      resourceId: 'r1',
    },
    {
      id: 'b',
      title: 'high one',
      severity: 'HIGH' as const,
      product: 'GuardDuty',
      resourceId: 'r2',
    },
    {
      id: 'c',
      title: 'low one',
      severity: 'LOW' as const,
      product: 'Security Hub',
      resourceId: 'r3',
    },
    {
      id: 'd',
      title: 'low two',
      severity: 'LOW' as const,
      product: 'Security Hub',
      resourceId: 'r4',
    },
  ],
});

async function startBackend(
  options: {
    allowFindings?: boolean;
    insights?: Record<string, unknown>;
    entities?: typeof entities;
  } = {},
) {
  const scheduler = mockServices.scheduler.mock();
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async requests =>
      requests.map(() => ({
        result:
          options.allowFindings === false
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ),
    // The default policy's decision for the calling user: the platform team everywhere, others where they own.
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
      scheduler.factory,
      permissions.factory,
      catalogServiceMock.factory({ entities: options.entities ?? entities }),
      mockServices.rootConfig.factory({
        data: {
          awsEnvironments: {
            insights: {
              schedule: { health: { minutes: 5 } },
              ...options.insights,
            },
          },
        },
      }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => fakeAwsClientFactory(),
      }),
    ],
  });
  const runTask = async (section: string) => {
    const task = scheduler.scheduleTask.mock.calls.find(
      ([t]) => t.id === `aws-environments-insights-${section}`,
    )![0];
    await task.fn(new AbortController().signal);
  };
  return { server, scheduler, permissions, runTask };
}

const asUser = mockCredentials.user.header();

beforeEach(() => {
  jest.resetAllMocks();
  (collectHealth as jest.Mock).mockImplementation(async (_f, env) => ({
    verdict: env.name === 'innovate-prod' ? 'degraded' : 'healthy',
    reasons:
      env.name === 'innovate-prod'
        ? ['Alarm innovate-prod-5xx is in ALARM']
        : [],
    stacks: [{ stackName: `${env.name}-network`, status: 'CREATE_COMPLETE' }],
    databases: [],
    alarms: [],
  }));
  (collectHealthAndStacks as jest.Mock).mockImplementation(
    async (factory, env, now) => ({
      health: await (collectHealth as jest.Mock)(factory, env, now),
      stacks: {
        details: [
          {
            stackName: `${env.name}-network`,
            layer: 'network',
            status: 'CREATE_COMPLETE',
            driftStatus: 'IN_SYNC',
            resources: [
              {
                logicalId: 'Vpc',
                physicalId: 'vpc-0abc',
                type: 'AWS::EC2::VPC',
                status: 'CREATE_COMPLETE',
                driftStatus: 'IN_SYNC',
              },
            ],
            outputs: [
              { key: 'VpcId', value: 'vpc-0abc' },
              ...(env.name === 'innovate-prod'
                ? [{ key: 'VpcCidr', value: '10.30.0.0/16' }]
                : []),
            ],
            events: [
              {
                timestamp: '2026-11-20T09:00:00.000Z',
                logicalId: `${env.name}-network`,
                resourceType: 'AWS::CloudFormation::Stack',
                status: 'CREATE_COMPLETE',
              },
            ],
          },
        ],
      },
    }),
  );
  (collectAccountCostSeries as jest.Mock).mockImplementation(
    async (_f, _a, envs: string[]) => ({
      reports: new Map(
        envs.map(name => [
          name,
          {
            currency: 'USD',
            monthToDate: 42,
            lastMonth: 80,
            daily: [],
            topServices: [],
          },
        ]),
      ),
      fetch: { mode: 'full', since: '', backfilled: [], requests: 1 },
    }),
  );
  (collectAccountFindings as jest.Mock).mockImplementation(
    async (_f, _t, envs: string[]) =>
      new Map(
        envs.map(name => [name, findings(name === 'innovate-prod' ? 5 : 1)]),
      ),
  );
});

describe('aws-environments router', () => {
  it('schedules the three collections and the daily price and version reads globally with the configured cadences', async () => {
    const { scheduler } = await startBackend();
    const tasks = scheduler.scheduleTask.mock.calls.map(([t]) => [
      t.id,
      t.scope,
      t.frequency,
    ]);
    expect(tasks).toEqual([
      ['aws-environments-insights-health', 'global', { minutes: 5 }],
      ['aws-environments-insights-findings', 'global', { minutes: 60 }],
      ['aws-environments-insights-costs', 'global', { hours: 8 }],
      ['aws-environments-prices', 'global', { hours: 24 }],
      ['aws-environments-versions', 'global', { hours: 24 }],
    ]);
  });

  it('lists environments from the catalog with their stored summaries', async () => {
    const { server, runTask } = await startBackend();
    await runTask('health');
    await runTask('costs');
    await runTask('findings');

    const res = await request(server)
      .get('/api/aws-environments/environments')
      .set('Authorization', asUser);
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('simulated');
    expect(res.body.items.map((i: any) => i.name)).toEqual([
      'innovate-dev',
      'innovate-prod',
    ]);
    const [dev, prod] = res.body.items;
    expect(dev).toMatchObject({
      entityRef: 'resource:default/innovate-dev',
      accountId: '222222222222',
      accountName: 'innovate-dev',
      template: {
        name: 'aws-environment',
        version: '1.0.0',
        latestVersion: '1.2.0',
        behind: true,
      },
      health: { verdict: 'healthy', stale: false },
      costs: { monthToDate: 42, currency: 'USD', stale: false },
      findings: { critical: 1, high: 1, stale: false },
    });
    expect(prod.health).toMatchObject({
      verdict: 'degraded',
      reasons: ['Alarm innovate-prod-5xx is in ALARM'],
    });
    // The web team does not own innovate-prod, so its finding counts are not shown.
    expect(prod.findings).toBeUndefined();
  });

  describe('paged environment list', () => {
    // Twelve environments: three teams, two accounts, dev and prod; web-shop-* are the web team's.
    const many = [
      ...Array.from({ length: 6 }, (_, i) =>
        environmentEntity({ name: `web-shop-${i}` }),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        environmentEntity({
          name: `data-lake-${i}`,
          owner: 'group:default/data-team',
          accountId: PROD_ACCOUNT,
          stage: 'prod',
        }),
      ),
      environmentEntity({
        name: 'innovate-prod',
        accountId: PROD_ACCOUNT,
        stage: 'prod',
        owner: 'group:default/ops-team',
      }),
      environmentEntity({
        name: 'ops-tools',
        owner: 'group:default/ops-team',
        template: 'aws-environment@1.2.0',
      }),
      templateEntity('aws-environment', '1.2.0'),
    ];

    async function collected() {
      const backend = await startBackend({ entities: many });
      await backend.runTask('health');
      await backend.runTask('costs');
      await backend.runTask('findings');
      const list = (query: Record<string, string | string[]>) =>
        request(backend.server)
          .get('/api/aws-environments/environments')
          .query(query)
          .set('Authorization', asUser);
      return { ...backend, list };
    }

    it('answers pages in name order with the total, and a second page with the rest', async () => {
      const { list } = await collected();
      const first = await list({ limit: '5' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        mode: 'simulated',
        totalItems: 12,
        offset: 0,
        limit: 5,
      });
      expect(first.body.items.map((i: any) => i.name)).toEqual([
        'data-lake-0',
        'data-lake-1',
        'data-lake-2',
        'data-lake-3',
        'innovate-prod',
      ]);
      const second = await list({ limit: '5', offset: '5' });
      expect(second.body.items.map((i: any) => i.name)).toEqual([
        'ops-tools',
        'web-shop-0',
        'web-shop-1',
        'web-shop-2',
        'web-shop-3',
      ]);
      const last = await list({ limit: '5', offset: '10' });
      expect(last.body.items.map((i: any) => i.name)).toEqual([
        'web-shop-4',
        'web-shop-5',
      ]);
      // Without a limit, a page holds up to 100.
      const all = await list({});
      expect(all.body).toMatchObject({ totalItems: 12, limit: 100 });
      expect(all.body.items).toHaveLength(12);
    });

    it('filters by owner, stage, account and template status and searches names, with totals and facets', async () => {
      const { list } = await collected();
      const prod = await list({ stage: 'prod', q: 'LAKE' });
      expect(prod.body.totalItems).toBe(4);
      expect(prod.body.items.map((i: any) => i.name)).toEqual([
        'data-lake-0',
        'data-lake-1',
        'data-lake-2',
        'data-lake-3',
      ]);

      const owned = await list({
        owner: 'group:default/ops-team,group:default/data-team',
        accountId: PROD_ACCOUNT,
      });
      expect(owned.body.items.map((i: any) => i.name)).toEqual([
        'data-lake-0',
        'data-lake-1',
        'data-lake-2',
        'data-lake-3',
        'innovate-prod',
      ]);
      // A facet counts what every other filter keeps: the account filter still offers the dev account, where
      // ops-tools is, while the owners are those of the prod account.
      expect(owned.body.facets.owner).toEqual([
        { value: 'group:default/data-team', count: 4 },
        { value: 'group:default/ops-team', count: 1 },
      ]);
      expect(owned.body.facets.accountId).toEqual([
        { value: '222222222222', label: 'innovate-dev', count: 1 },
        { value: PROD_ACCOUNT, label: 'innovate-prod', count: 5 },
      ]);
      expect(owned.body.facets.stage).toEqual([{ value: 'prod', count: 5 }]);

      const behind = await list({ behind: 'true', limit: '1' });
      expect(behind.body.totalItems).toBe(11);
      expect(behind.body.summary).toMatchObject({ behindTemplate: 11 });
      expect(behind.body.facets.behind).toEqual([
        { value: 'false', count: 1 },
        { value: 'true', count: 11 },
      ]);
      const upToDate = await list({ behind: 'false' });
      expect(upToDate.body.items.map((i: any) => i.name)).toEqual([
        'ops-tools',
      ]);

      const summary = (await list({ limit: '1' })).body.summary;
      expect(summary.health).toEqual({
        healthy: 11,
        degraded: 1,
        down: 0,
        unknown: 0,
      });
      const degraded = await list({ health: 'degraded' });
      expect(degraded.body.items.map((i: any) => i.name)).toEqual([
        'innovate-prod',
      ]);
    });

    it('sorts by a column both ways, and decides findings only for the page it answers', async () => {
      const { list, permissions } = await collected();
      const health = await list({ orderBy: 'health', limit: '3' });
      // innovate-prod is the one degraded environment.
      expect(health.body.items[0].name).toBe('innovate-prod');
      const desc = await list({ orderBy: 'name,desc', limit: '2' });
      expect(desc.body.items.map((i: any) => i.name)).toEqual([
        'web-shop-5',
        'web-shop-4',
      ]);
      // The web team sees the findings of its own environments only.
      const page = await list({ limit: '12', orderBy: 'findings,desc' });
      const withFindings = page.body.items
        .filter((i: any) => i.findings)
        .map((i: any) => i.name);
      expect(withFindings.sort()).toEqual(
        Array.from({ length: 6 }, (_, i) => `web-shop-${i}`),
      );
      expect(page.body.items.slice(0, 6).every((i: any) => i.findings)).toBe(
        true,
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
    });

    it('keeps answering one environment for entityRef', async () => {
      const { list } = await collected();
      const one = await list({ entityRef: 'resource:default/OPS-TOOLS' });
      expect(one.status).toBe(200);
      expect(one.body.totalItems).toBe(1);
      expect(one.body.items.map((i: any) => i.name)).toEqual(['ops-tools']);
    });

    it.each([
      [{ limit: '0' }, 'limit must be a whole number from 1 to 100'],
      [{ limit: '500' }, 'limit must be a whole number from 1 to 100'],
      [{ limit: 'ten' }, 'limit must be a whole number from 1 to 100'],
      [{ offset: '-1' }, 'offset must be a whole number from 0 to 1000000'],
      [{ orderBy: 'colour' }, 'orderBy must be one of name, owner'],
      [{ orderBy: 'name,up' }, 'orderBy must be one of name, owner'],
      [{ health: 'sick' }, 'health must be healthy, degraded, down or unknown'],
      [{ stage: 'qa' }, 'stage must be one of dev, staging, prod'],
      [{ accountId: '12' }, 'accountId must be a 12-digit AWS account ID'],
      [{ q: ['a', 'b'] }, 'q must be given once'],
    ])('answers 400 with a sentence for %j', async (query, message) => {
      const { list } = await collected();
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(/^Invalid query: .+\.$/);
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.message).not.toMatch(/zod|expected|received/i);
    });
  });

  it('serves health and costs of one environment, and 404 for anything else', async () => {
    const { server, runTask } = await startBackend();
    await runTask('health');
    const health = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/health')
      .set('Authorization', asUser);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      verdict: 'healthy',
      stale: false,
      stacks: [{ stackName: 'innovate-dev-network' }],
    });

    const costs = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/costs')
      .set('Authorization', asUser);
    expect(costs.body).toMatchObject({ monthToDate: 0, stale: true });

    const missing = await request(server)
      .get('/api/aws-environments/environments/default/nope/health')
      .set('Authorization', asUser);
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');

    const notAnEnvironment = await request(server)
      .get('/api/aws-environments/environments/default/some-bucket/costs')
      .set('Authorization', asUser);
    expect(notAnEnvironment.status).toBe(404);
  });

  it('serves the stacks of one environment from the store, with its template status', async () => {
    const { server, runTask } = await startBackend();
    const before = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/stacks')
      .set('Authorization', asUser);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ stacks: [], stale: true });
    expect(before.body.collectedAt).toBeUndefined();

    await runTask('health');
    const res = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/stacks')
      .set('Authorization', asUser);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accountId: '222222222222',
      accountName: 'innovate-dev',
      region: 'eu-central-1',
      template: {
        name: 'aws-environment',
        version: '1.0.0',
        latestVersion: '1.2.0',
        behind: true,
      },
      stale: false,
      collectedAt: expect.any(String),
      stacks: [
        {
          stackName: 'innovate-dev-network',
          resources: [{ logicalId: 'Vpc', physicalId: 'vpc-0abc' }],
          outputs: [{ key: 'VpcId', value: 'vpc-0abc' }],
          events: [{ status: 'CREATE_COMPLETE' }],
        },
      ],
    });
  });

  it('answers 404 for the stacks of an unknown or non-environment entity, 400 for a malformed reference', async () => {
    const { server } = await startBackend();
    const unknown = await request(server)
      .get('/api/aws-environments/environments/default/nope/stacks')
      .set('Authorization', asUser);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.name).toBe('NotFoundError');

    const notAnEnvironment = await request(server)
      .get('/api/aws-environments/environments/default/some-bucket/stacks')
      .set('Authorization', asUser);
    expect(notAnEnvironment.status).toBe(404);

    const tooLong = await request(server)
      .get(
        `/api/aws-environments/environments/default/${'x'.repeat(64)}/stacks`,
      )
      .set('Authorization', asUser);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.name).toBe('InputError');

    const anonymous = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/stacks')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('filters findings by severity and product and limits them', async () => {
    const { server, runTask } = await startBackend();
    await runTask('findings');
    const res = await request(server)
      .get(
        '/api/aws-environments/environments/default/innovate-dev/findings?severity=LOW&severity=HIGH&limit=2',
      )
      .set('Authorization', asUser);
    expect(res.status).toBe(200);
    expect(res.body.top.map((f: any) => f.id)).toEqual(['b', 'c']);
    expect(res.body.counts.CRITICAL).toBe(1);

    const byProduct = await request(server)
      .get(
        '/api/aws-environments/environments/default/innovate-dev/findings?product=security%20hub',
      )
      .set('Authorization', asUser);
    expect(byProduct.body.top.map((f: any) => f.id)).toEqual(['c', 'd']);
  });

  it('rejects invalid findings queries with 400', async () => {
    const { server } = await startBackend();
    for (const query of [
      'severity=URGENT',
      'limit=0',
      'limit=abc',
      'limit=1000',
    ]) {
      const res = await request(server)
        .get(
          `/api/aws-environments/environments/default/innovate-dev/findings?${query}`,
        )
        .set('Authorization', asUser);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(
        /^Invalid query: (severity must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL|limit must be a whole number from 1 to 100)\.$/,
      );
    }
  });

  it('answers 403 when the policy does not let the caller see the findings', async () => {
    const { server, permissions } = await startBackend({
      allowFindings: false,
    });
    const res = await request(server)
      .get('/api/aws-environments/environments/default/innovate-prod/findings')
      .set('Authorization', asUser);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'aws-environments.findings.read',
          }),
          resourceRef: 'resource:default/innovate-prod',
        },
      ],
      expect.anything(),
    );
  });

  describe('on-demand refresh', () => {
    const refreshPath = (name: string, section?: string) =>
      `/api/aws-environments/environments/default/${name}/refresh${
        section ? `?section=${section}` : ''
      }`;

    it('refreshes health, stacks and findings of an owned environment, then says they are fresh', async () => {
      const { server } = await startBackend();
      const first = await request(server)
        .post(refreshPath('innovate-dev'))
        .set('Authorization', asUser);
      expect(first.status).toBe(200);
      expect(first.body.sections).toEqual([
        expect.objectContaining({
          section: 'health',
          ok: true,
          state: 'refreshed',
        }),
        expect.objectContaining({
          section: 'stacks',
          ok: true,
          state: 'refreshed',
        }),
        expect.objectContaining({
          section: 'findings',
          ok: true,
          state: 'refreshed',
        }),
      ]);
      expect(Date.parse(first.body.sections[0].nextRefreshAt)).toBeGreaterThan(
        Date.now(),
      );
      const health = await request(server)
        .get('/api/aws-environments/environments/default/innovate-dev/health')
        .set('Authorization', asUser);
      expect(health.body.verdict).toBe('healthy');

      const second = await request(server)
        .post(refreshPath('innovate-dev'))
        .set('Authorization', asUser);
      expect(second.status).toBe(200);
      expect(second.body.sections.map((s: any) => s.state)).toEqual([
        'recent',
        'recent',
        'recent',
      ]);
      expect(second.body.sections[0]).toMatchObject({
        ok: true,
        collectedAt: expect.any(String),
        nextRefreshAt: expect.any(String),
      });
      expect(collectHealthAndStacks).toHaveBeenCalledTimes(1);
    });

    it('refuses a refresh to someone who neither owns the environment nor is in the platform team', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .post(refreshPath('innovate-prod', 'health'))
        .set('Authorization', asUser);
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        message:
          'Only the owners of resource:default/innovate-prod and the platform team may refresh it; its data is collected every 5 minutes.',
      });
      expect(collectHealthAndStacks).not.toHaveBeenCalled();

      const access = await request(server)
        .get(refreshPath('innovate-prod'))
        .set('Authorization', asUser);
      expect(access.status).toBe(200);
      expect(access.body).toMatchObject({
        entityRef: 'resource:default/innovate-prod',
        canRefresh: false,
        reason: expect.stringContaining('Only the owners of'),
        budget: { perHour: 30, remaining: 30 },
      });
    });

    it('lets the platform team refresh any environment', async () => {
      const { server } = await startBackend();
      const asPlatform = mockCredentials.user.header(PLATFORM_TEAM_MEMBER);
      const access = await request(server)
        .get(refreshPath('innovate-prod'))
        .set('Authorization', asPlatform);
      expect(access.body).toMatchObject({
        canRefresh: true,
        sections: [
          { section: 'health', scheduleIntervalMs: 300_000 },
          { section: 'findings', scheduleIntervalMs: 3_600_000 },
        ],
      });
      const res = await request(server)
        .post(refreshPath('innovate-prod', 'findings'))
        .set('Authorization', asPlatform);
      expect(res.status).toBe(200);
      expect(res.body.sections).toEqual([
        expect.objectContaining({ section: 'findings', state: 'refreshed' }),
      ]);
    });

    it('limits each section on its own: health does not block findings, and a second health refresh is not an error', async () => {
      const { server } = await startBackend();
      const health = await request(server)
        .post(refreshPath('innovate-dev', 'health'))
        .set('Authorization', asUser);
      expect(health.status).toBe(200);
      expect(
        health.body.sections.map((s: any) => [s.section, s.state]),
      ).toEqual([
        ['health', 'refreshed'],
        ['stacks', 'refreshed'],
      ]);
      expect(collectAccountFindings).not.toHaveBeenCalled();

      const findingsRefresh = await request(server)
        .post(refreshPath('innovate-dev', 'findings'))
        .set('Authorization', asUser);
      expect(findingsRefresh.status).toBe(200);
      expect(findingsRefresh.body.sections).toEqual([
        expect.objectContaining({ section: 'findings', state: 'refreshed' }),
      ]);

      // Anyone asking again within the interval learns the data is fresh.
      const again = await request(server)
        .post(refreshPath('innovate-dev', 'health'))
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/other-web-dev'),
        );
      expect(again.status).toBe(200);
      expect(again.body.sections[0]).toMatchObject({
        section: 'health',
        state: 'recent',
        ok: true,
      });
      expect(collectHealthAndStacks).toHaveBeenCalledTimes(1);

      const access = await request(server)
        .get(refreshPath('innovate-dev'))
        .set('Authorization', asUser);
      expect(access.body).toMatchObject({
        canRefresh: true,
        sections: [
          { section: 'health', nextRefreshAt: expect.any(String) },
          { section: 'findings', nextRefreshAt: expect.any(String) },
        ],
        budget: { perHour: 30, remaining: 28 },
      });
    });

    it('answers 429 with a sentence once the caller used up the hourly budget', async () => {
      const { server } = await startBackend({
        insights: { manualRefresh: { perUserPerHour: 2 } },
      });
      const asPlatform = mockCredentials.user.header(PLATFORM_TEAM_MEMBER);
      for (const section of ['health', 'findings']) {
        const res = await request(server)
          .post(refreshPath('innovate-dev', section))
          .set('Authorization', asPlatform);
        expect(res.status).toBe(200);
      }
      // A fresh section needs no collection, so it costs nothing even with the budget used up.
      const fresh = await request(server)
        .post(refreshPath('innovate-dev', 'health'))
        .set('Authorization', asPlatform);
      expect(fresh.status).toBe(200);
      expect(fresh.body.sections[0].state).toBe('recent');

      const over = await request(server)
        .post(refreshPath('innovate-prod', 'health'))
        .set('Authorization', asPlatform);
      expect(over.status).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(3_500);
      expect(over.body.error.name).toBe('TooManyRequestsError');
      expect(over.body.error.message).toMatch(
        /^You have used all 2 on-demand refreshes allowed per hour, so the next one is possible at \d\d:\d\d UTC \(in (59|60) minutes\)\.$/,
      );

      // Other users keep their own budget.
      const someoneElse = await request(server)
        .post(refreshPath('innovate-dev', 'findings'))
        .set('Authorization', asUser);
      expect(someoneElse.status).toBe(200);
      const access = await request(server)
        .get(refreshPath('innovate-prod'))
        .set('Authorization', asPlatform);
      expect(access.body.budget).toMatchObject({
        perHour: 2,
        remaining: 0,
        nextAt: expect.any(String),
      });
    });

    it('refuses costs, which stay on their schedule, with a sentence', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .post(refreshPath('innovate-dev', 'costs'))
        .set('Authorization', asUser);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /^Costs are not refreshed on demand.*collected every 8 hours\.$/,
      );
      const bad = await request(server)
        .post(refreshPath('innovate-dev', 'everything'))
        .set('Authorization', asUser);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'Invalid query: section must be health or findings.',
      );
    });
  });

  describe('environment name check', () => {
    const check = (server: any, name: string) =>
      request(server)
        .get(
          `/api/aws-environments/environment-names/${encodeURIComponent(name)}`,
        )
        .set('Authorization', asUser);

    it('says a free name is available', async () => {
      const { server } = await startBackend();
      const res = await check(server, 'innovate-qa');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ name: 'innovate-qa', available: true });
    });

    it('says who has a taken name and how to change that environment', async () => {
      const { server } = await startBackend();
      const res = await check(server, 'innovate-dev');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        name: 'innovate-dev',
        available: false,
        problem:
          'innovate-dev already exists (owner group:default/web-team, account 222222222222 eu-central-1). To change it, use the "Update an AWS environment" template.',
        existing: {
          entityRef: 'resource:default/innovate-dev',
          owner: 'group:default/web-team',
          accountId: '222222222222',
          region: 'eu-central-1',
        },
      });
      // A resource of another type does not take the name.
      expect((await check(server, 'some-bucket')).body.available).toBe(true);
    });

    it('says what is wrong with an invalid name', async () => {
      const { server } = await startBackend();
      for (const name of ['Innovate_QA', 'qa-', 'x']) {
        const res = await check(server, name);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          name,
          available: false,
          problem: environmentNameProblem(name),
        });
      }
    });

    it('refuses unauthenticated callers', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get('/api/aws-environments/environment-names/innovate-qa')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  });

  describe('VPC ranges', () => {
    it('lists the stored VPC ranges of the environments in an account and Region, without asking AWS', async () => {
      const { server, runTask } = await startBackend();
      await runTask('health');
      (collectHealthAndStacks as jest.Mock).mockClear();
      const prod = await request(server)
        .get('/api/aws-environments/vpc-ranges')
        .query({ accountId: PROD_ACCOUNT, region: 'eu-central-1' })
        .set('Authorization', asUser);
      expect(prod.status).toBe(200);
      expect(prod.body).toEqual({
        items: [
          {
            environment: 'innovate-prod',
            entityRef: 'resource:default/innovate-prod',
            vpcCidr: '10.30.0.0/16',
          },
        ],
      });
      // innovate-dev's network stack reported no range: it is left out.
      const dev = await request(server)
        .get('/api/aws-environments/vpc-ranges')
        .query({ accountId: '222222222222', region: 'eu-central-1' })
        .set('Authorization', asUser);
      expect(dev.body).toEqual({ items: [] });
      expect(collectHealthAndStacks).not.toHaveBeenCalled();
    });

    it('rejects an invalid account or Region with one sentence', async () => {
      const { server } = await startBackend();
      const cases: Array<[Record<string, string | string[]>, string]> = [
        [
          { accountId: '1234', region: 'eu-central-1' },
          'Invalid query: accountId must be a 12-digit AWS account ID such as 222222222222.',
        ],
        [
          { accountId: '222222222222', region: 'Frankfurt' },
          'Invalid query: region must be an AWS Region such as eu-central-1.',
        ],
        [
          { accountId: '222222222222' },
          'Invalid query: region must be given once, as an AWS Region such as eu-central-1.',
        ],
        [
          {},
          'Invalid query: accountId must be given once, as a 12-digit AWS account ID; region must be given once, as an AWS Region such as eu-central-1.',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await request(server)
          .get('/api/aws-environments/vpc-ranges')
          .query(query)
          .set('Authorization', asUser);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'InputError', message });
      }
    });
  });

  it('serves the mode and the allowed accounts', async () => {
    const { server } = await startBackend();
    const mode = await request(server)
      .get('/api/aws-environments/mode')
      .set('Authorization', asUser);
    expect(mode.body).toEqual({ mode: 'simulated' });
    const accounts = await request(server)
      .get('/api/aws-environments/accounts')
      .set('Authorization', asUser);
    expect(accounts.body.items.map((a: any) => a.name)).toEqual([
      'shared-services',
      'innovate-dev',
      'innovate-prod',
    ]);
  });

  it('refuses unauthenticated requests', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/aws-environments/environments')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
