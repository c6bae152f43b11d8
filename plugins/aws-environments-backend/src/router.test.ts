import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import request from 'supertest';
import {
  PROD_ACCOUNT,
  environmentEntity,
  fakeAwsClientFactory,
  templateEntity,
} from './__testUtils__/fixtures';
import { findingsReadDecision } from './permissions';
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

/** The policy decision of a web-team member: findings of environments their group owns. */
const webTeamDecision = findingsReadDecision(
  ['user:default/mock', 'group:default/web-team'],
  {
    platformTeam: 'group:default/platform-team',
  },
);

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

async function startBackend(options: { allowFindings?: boolean } = {}) {
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
    authorizeConditional: jest.fn(async requests =>
      requests.map(() => webTeamDecision),
    ),
  });
  const { server } = await startTestBackend({
    features: [
      plugin,
      scheduler.factory,
      permissions.factory,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          awsEnvironments: {
            insights: { schedule: { health: { minutes: 5 } } },
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
            outputs: [{ key: 'VpcId', value: 'vpc-0abc' }],
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
  it('schedules the three collections globally with the configured cadences', async () => {
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

  it('refreshes one environment on demand, then answers 429 with Retry-After', async () => {
    const { server } = await startBackend();
    const first = await request(server)
      .post('/api/aws-environments/environments/default/innovate-dev/refresh')
      .set('Authorization', asUser);
    expect(first.status).toBe(200);
    expect(first.body.sections).toEqual([
      { section: 'health', ok: true },
      { section: 'stacks', ok: true },
      { section: 'findings', ok: true },
    ]);
    const health = await request(server)
      .get('/api/aws-environments/environments/default/innovate-dev/health')
      .set('Authorization', asUser);
    expect(health.body.verdict).toBe('healthy');

    const second = await request(server)
      .post('/api/aws-environments/environments/default/innovate-dev/refresh')
      .set('Authorization', asUser);
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(second.body.error.name).toBe('TooManyRequestsError');
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
