import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readInsightsConfig } from '../config';
import {
  DEV_ACCOUNT,
  PROD_ACCOUNT,
  environmentTarget,
  fakeAwsClientFactory,
} from '../__testUtils__/fixtures';
import {
  CostsReport,
  collectAccountCostSeries,
  collectEnvironmentCosts,
} from './collectors/costs';
import { collectAccountFindings } from './collectors/findings';
import { collectHealth, collectHealthAndStacks } from './collectors/health';
import type { EnvironmentDirectory } from './EnvironmentDirectory';
import { InsightsService } from './InsightsService';
import { DatabaseInsightsStore } from './InsightsStore';
import type { EnvironmentTarget } from './types';

jest.mock('./collectors/health', () => ({
  ...jest.requireActual('./collectors/health'),
  collectHealth: jest.fn(),
  collectHealthAndStacks: jest.fn(),
}));
jest.mock('./collectors/costs', () => ({
  ...jest.requireActual('./collectors/costs'),
  collectAccountCostSeries: jest.fn(),
  collectEnvironmentCosts: jest.fn(),
}));
jest.mock('./collectors/findings', () => ({
  ...jest.requireActual('./collectors/findings'),
  collectAccountFindings: jest.fn(),
}));

const mockCollectHealth = collectHealth as jest.MockedFunction<
  typeof collectHealth
>;
const mockCollectHealthAndStacks =
  collectHealthAndStacks as jest.MockedFunction<typeof collectHealthAndStacks>;
const mockCollectCosts = collectAccountCostSeries as jest.MockedFunction<
  typeof collectAccountCostSeries
>;
const mockCollectEnvironmentCosts =
  collectEnvironmentCosts as jest.MockedFunction<
    typeof collectEnvironmentCosts
  >;
const mockCollectFindings = collectAccountFindings as jest.MockedFunction<
  typeof collectAccountFindings
>;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const dev = environmentTarget({
  name: 'innovate-dev',
  template: 'aws-environment@1.0.0',
});
const staging = environmentTarget({
  name: 'innovate-staging',
  template: 'aws-environment@1.1.0',
});
const prod = environmentTarget({
  name: 'innovate-prod',
  accountId: PROD_ACCOUNT,
  stage: 'prod',
  owner: 'group:default/platform-team',
});

function healthy(env: EnvironmentTarget) {
  return {
    verdict: 'healthy' as const,
    reasons: [],
    stacks: env.stacks.map(stackName => ({
      stackName,
      status: 'CREATE_COMPLETE',
    })),
    databases: [],
    alarms: [],
  };
}

function stackDetailsOf(env: EnvironmentTarget) {
  return env.stacks.map(stackName => ({
    stackName,
    status: 'CREATE_COMPLETE',
    resources: [
      {
        logicalId: 'Thing',
        type: 'AWS::SNS::Topic',
        status: 'CREATE_COMPLETE',
      },
    ],
    outputs: [{ key: 'ThingArn', value: `arn:${stackName}` }],
    events: [],
  }));
}

/** What the collector answers for one account: a full read unless it was handed stored series. */
function collected(
  reports: Map<string, CostsReport>,
  options: { previous?: unknown } = {},
) {
  return {
    reports,
    fetch: {
      mode: options.previous ? ('incremental' as const) : ('full' as const),
      since: '2026-08-22',
      backfilled: [],
      requests: 1,
    },
  };
}

function costsOf(amount: number): CostsReport {
  return {
    currency: 'USD',
    monthToDate: amount,
    lastMonth: 2 * amount,
    forecastMonthEnd: 3 * amount,
    daily: [],
    topServices: [],
  };
}

async function setup(environments: EnvironmentTarget[]) {
  const knex = await databases.init('SQLITE_3');
  const database: DatabaseService = { getClient: async () => knex };
  const store = await DatabaseInsightsStore.create({ database });
  let clock = new Date('2026-11-20T10:00:00Z');
  const snapshot = {
    environments,
    latestTemplateVersions: new Map([['aws-environment', '1.1.0']]),
  };
  const directory: EnvironmentDirectory = {
    list: async () => snapshot,
    invalidate: () => {},
  };
  const service = new InsightsService({
    factory: fakeAwsClientFactory(),
    store,
    directory,
    catalog: catalogServiceMock(),
    logger: mockServices.logger.mock(),
    config: readInsightsConfig(mockServices.rootConfig()),
    now: () => clock,
    catalogWait: { timeoutMs: 50, intervalMs: 10 },
  });
  return {
    service,
    store,
    snapshot,
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

beforeEach(() => {
  jest.resetAllMocks();
  mockCollectHealth.mockImplementation(async (_factory, env) => healthy(env));
  // The health run collects the stack details with the same calls; its health part is whatever collectHealth says.
  mockCollectHealthAndStacks.mockImplementation(async (factory, env, now) => ({
    health: await mockCollectHealth(factory, env, now),
    stacks: { details: stackDetailsOf(env) },
  }));
  mockCollectCosts.mockImplementation(
    async (_factory, _account, envs, _now, options) =>
      collected(
        new Map(envs.map((name, i) => [name, costsOf(100 * (i + 1))])),
        options,
      ),
  );
  mockCollectEnvironmentCosts.mockImplementation(async () => ({
    report: {
      ...costsOf(4),
      daily: [
        {
          date: '2026-11-20',
          amount: 4,
          byService: { 'Amazon Elastic Compute Cloud - Compute': 4 },
        },
      ],
    },
    fetch: {
      mode: 'full' as const,
      since: '2026-08-22',
      backfilled: [],
      requests: 1,
    },
  }));
  mockCollectFindings.mockImplementation(
    async (_factory, _target, envs) =>
      new Map(
        envs.map(name => [
          name,
          {
            source: 'securityhub' as const,
            counts: {
              CRITICAL: 1,
              HIGH: 2,
              MEDIUM: 0,
              LOW: 0,
              INFORMATIONAL: 0,
            },
            byProduct: { GuardDuty: 3 },
            top: [],
          },
        ]),
      ),
  );
});

describe('InsightsService', () => {
  it('keeps the last good health of an environment whose collection fails, marked stale, and leaves the others alone', async () => {
    const { service } = await setup([dev, staging]);
    await service.refreshHealth();
    await service.refreshCosts();

    mockCollectHealth.mockImplementation(async (_factory, env) => {
      if (env.name === 'innovate-dev') {
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
        });
      }
      return {
        ...healthy(env),
        verdict: 'degraded' as const,
        reasons: ['Alarm x is in ALARM'],
      };
    });
    const outcome = await service.refreshHealth();
    expect(outcome).toEqual({ environments: 2, succeeded: 1, failed: 1 });

    const devHealth = await service.getHealth(dev);
    expect(devHealth.verdict).toBe('healthy');
    expect(devHealth.stale).toBe(true);
    expect(devHealth.error).toBe('ThrottlingException: Rate exceeded');
    expect(devHealth.collectedAt).toBe('2026-11-20T10:00:00.000Z');

    const stagingHealth = await service.getHealth(staging);
    expect(stagingHealth).toMatchObject({
      verdict: 'degraded',
      stale: false,
      error: undefined,
    });

    // Another section of the failing environment is unaffected.
    expect(await service.getCosts(dev)).toMatchObject({
      monthToDate: 100,
      stale: false,
    });
  });

  it('marks data stale once it is older than twice its cadence', async () => {
    const { service, advance } = await setup([dev]);
    await service.refreshHealth();
    advance(9 * 60_000);
    expect((await service.getHealth(dev)).stale).toBe(false);
    advance(2 * 60_000);
    expect((await service.getHealth(dev)).stale).toBe(true);
  });

  it('serves a section that was never collected as unknown and stale', async () => {
    const { service } = await setup([dev]);
    expect(await service.getHealth(dev)).toMatchObject({
      verdict: 'unknown',
      stale: true,
      stacks: [],
    });
    expect(await service.getCosts(dev)).toMatchObject({
      monthToDate: 0,
      stale: true,
    });
    expect(await service.getFindings(dev)).toMatchObject({
      top: [],
      stale: true,
    });
  });

  it('asks for costs once per account, with all of its environments', async () => {
    const { service } = await setup([dev, staging, prod]);
    await service.refreshCosts();
    expect(mockCollectCosts).toHaveBeenCalledTimes(2);
    expect(
      mockCollectCosts.mock.calls.map(c => [c[1].accountId, c[2]]),
    ).toEqual([
      [DEV_ACCOUNT, ['innovate-dev', 'innovate-staging']],
      [PROD_ACCOUNT, ['innovate-prod']],
    ]);
    expect((await service.getCosts(staging)).monthToDate).toBe(200);
  });

  it('reads the whole cost history of an account first, then merges recent days into the stored series until a full read is due', async () => {
    const { service, advance } = await setup([dev, staging]);
    const withDays = (amount: number): CostsReport => ({
      ...costsOf(amount),
      daily: [{ date: '2026-11-19', amount, byService: {} }],
    });
    mockCollectCosts.mockImplementation(
      async (_factory, _account, envs, _now, options) =>
        collected(new Map(envs.map(name => [name, withDays(7)])), options),
    );
    const optionsOfCall = (n: number) => mockCollectCosts.mock.calls[n][4];

    await service.refreshCosts();
    expect(optionsOfCall(0)?.previous).toBeUndefined();

    advance(8 * 60 * 60 * 1000);
    await service.refreshCosts();
    expect(optionsOfCall(1)?.refreshWindowDays).toBe(3);
    expect(optionsOfCall(1)?.previous).toEqual(
      new Map([
        ['innovate-dev', expect.objectContaining({ daily: withDays(7).daily })],
        [
          'innovate-staging',
          expect.objectContaining({ daily: withDays(7).daily }),
        ],
      ]),
    );

    // A full read is due 30 days after the last one (the default interval), whatever ran in between.
    advance(30 * 24 * 60 * 60 * 1000 - 8 * 60 * 60 * 1000);
    await service.refreshCosts();
    expect(optionsOfCall(2)?.previous).toBeUndefined();
    advance(8 * 60 * 60 * 1000);
    await service.refreshCosts();
    expect(optionsOfCall(3)?.previous).toBeDefined();
  });

  it('marks the costs of every environment of an account stale when its Cost Explorer query fails', async () => {
    const { service } = await setup([dev, staging, prod]);
    await service.refreshCosts();
    mockCollectCosts.mockImplementation(async (_f, account, envs) => {
      if (account.accountId === DEV_ACCOUNT) {
        throw Object.assign(
          new Error('User not enabled for cost explorer access'),
          { name: 'AccessDeniedException' },
        );
      }
      return collected(new Map(envs.map(name => [name, costsOf(1)])));
    });
    await service.refreshCosts();
    expect(await service.getCosts(dev)).toMatchObject({
      monthToDate: 100,
      stale: true,
    });
    expect((await service.getCosts(dev)).error).toMatch(/cost explorer access/);
    expect(await service.getCosts(prod)).toMatchObject({
      monthToDate: 1,
      stale: false,
    });
  });

  it('summarizes every environment from the store, with template staleness and findings only where visible', async () => {
    const { service } = await setup([dev, staging, prod]);
    await service.refreshHealth();
    await service.refreshCosts();
    await service.refreshFindings();
    const items = await service.listEnvironments(
      async () => env => env.name !== 'innovate-prod',
    );
    expect(
      items.map(i => [
        i.name,
        i.accountName,
        i.template?.behind,
        i.health.verdict,
      ]),
    ).toEqual([
      ['innovate-dev', 'innovate-dev', true, 'healthy'],
      ['innovate-staging', 'innovate-dev', false, 'healthy'],
      ['innovate-prod', 'innovate-prod', true, 'healthy'],
    ]);
    expect(items[0]).toMatchObject({
      entityRef: 'resource:default/innovate-dev',
      stage: 'dev',
      owner: 'group:default/web-team',
      system: 'system:default/innovate-web',
      template: {
        name: 'aws-environment',
        version: '1.0.0',
        latestVersion: '1.1.0',
        behind: true,
      },
      costs: {
        monthToDate: 100,
        forecastMonthEnd: 300,
        currency: 'USD',
        stale: false,
      },
      findings: { critical: 1, high: 2, stale: false },
    });
    expect(items[2].findings).toBeUndefined();
  });

  it('reflects new writes and ageing in the overview it reuses between requests', async () => {
    const { service, advance } = await setup([dev, staging]);
    await service.refreshHealth();
    const all = async () => () => true;
    expect((await service.listEnvironments(all))[0].health.stale).toBe(false);

    mockCollectHealth.mockImplementation(async (_factory, env) => {
      if (env.name === 'innovate-dev') {
        throw new Error('Rate exceeded');
      }
      return healthy(env);
    });
    advance(1000);
    await service.refreshHealth();
    const [devItem, stagingItem] = await service.listEnvironments(all);
    expect(devItem.health).toMatchObject({ verdict: 'healthy', stale: true });
    expect(stagingItem.health.stale).toBe(false);

    // No write at all: the staging data turns stale by age alone.
    advance(11 * 60_000);
    expect((await service.listEnvironments(all))[1].health.stale).toBe(true);
  });

  it('collects the health of an environment that appears in the catalog between scheduled runs', async () => {
    const { service, snapshot } = await setup([dev]);
    await service.refreshHealth();
    mockCollectHealth.mockClear();
    snapshot.environments = [dev, staging];

    const first = await service.listEnvironments(async () => () => true);
    expect(first[1].health.verdict).toBe('unknown');
    await new Promise(resolve => setImmediate(resolve));
    await service.listEnvironments(async () => () => true);
    expect(mockCollectHealth).toHaveBeenCalledTimes(1);
    expect(mockCollectHealth.mock.calls[0][1].name).toBe('innovate-staging');
  });

  it('collects the health of an environment the portal reports as changed', async () => {
    const { service } = await setup([dev, staging]);
    await service.onEnvironmentChanged('innovate-staging');
    expect(mockCollectHealth).toHaveBeenCalledTimes(1);
    expect(mockCollectHealth.mock.calls[0][1].name).toBe('innovate-staging');
    expect((await service.getHealth(staging)).verdict).toBe('healthy');
    await service.onEnvironmentChanged('not-in-the-catalog-yet');
    expect(mockCollectHealth).toHaveBeenCalledTimes(1);
  });

  it('collects the stacks afresh and the findings of an environment the portal reports as changed', async () => {
    const { service } = await setup([dev, staging]);
    await service.refreshHealth();
    mockCollectHealthAndStacks.mockClear();
    mockCollectFindings.mockClear();
    await service.onEnvironmentChanged('innovate-staging');
    // Stacks seen while the environment was still being created are not kept.
    expect(mockCollectHealthAndStacks.mock.calls[0][3]).toEqual(
      expect.objectContaining({ previousStacks: undefined }),
    );
    expect(mockCollectFindings.mock.calls[0][2]).toEqual(['innovate-staging']);
    expect((await service.getFindings(staging)).stale).toBe(false);
  });

  it('collects the costs of a registered environment at once in one query, and only while none are stored', async () => {
    const { service } = await setup([dev, staging]);
    await service.onEnvironmentChanged('innovate-staging');
    expect(mockCollectEnvironmentCosts).toHaveBeenCalledTimes(1);
    expect(mockCollectEnvironmentCosts.mock.calls[0][2]).toBe(
      'innovate-staging',
    );
    expect(mockCollectCosts).not.toHaveBeenCalled();
    const costs = await service.getCosts(staging);
    expect(costs.monthToDate).toBe(4);
    expect(costs.daily.map(p => p.date)).toEqual(['2026-11-20']);
    expect(costs.stale).toBe(false);

    // An update of the same environment leaves its stored costs to the schedule.
    await service.onEnvironmentChanged('innovate-staging');
    expect(mockCollectEnvironmentCosts).toHaveBeenCalledTimes(1);
  });

  it('marks the first costs of a registered environment failed when Cost Explorer refuses, and keeps its health', async () => {
    const { service } = await setup([dev, staging]);
    mockCollectEnvironmentCosts.mockRejectedValueOnce(
      new Error('Cost Explorer is not enabled for the account'),
    );
    await service.onEnvironmentChanged('innovate-staging');
    const costs = await service.getCosts(staging);
    expect(costs.error).toContain('Cost Explorer is not enabled');
    expect((await service.getHealth(staging)).verdict).toBe('healthy');
  });

  it('keeps the newer health when an older collection of the same environment finishes after it', async () => {
    const { service } = await setup([dev, staging]);
    let releaseFirst: () => void = () => {};
    const firstAnswered = new Promise<void>(resolve => {
      releaseFirst = resolve;
    });
    mockCollectHealth
      // The first collection saw the environment while it was still being created, and answers late.
      .mockImplementationOnce(async (_factory, env) => {
        await firstAnswered;
        return { ...healthy(env), verdict: 'degraded' as const };
      })
      .mockImplementationOnce(async (_factory, env) => healthy(env));
    const first = service.refreshEnvironment(staging, ['health']);
    await service.onEnvironmentChanged('innovate-staging');
    releaseFirst();
    await first;
    expect((await service.getHealth(staging)).verdict).toBe('healthy');
  });

  it('leaves a torn-down environment out of the overview at once, while the catalog still lists it', async () => {
    const { service, snapshot, store } = await setup([dev, staging]);
    const everyone = async () => () => true;
    await service.refreshHealth();
    expect((await service.listEnvironments(everyone)).map(e => e.name)).toEqual(
      ['innovate-dev', 'innovate-staging'],
    );
    await service.onEnvironmentChanged('innovate-staging', 'removed');
    expect((await service.listEnvironments(everyone)).map(e => e.name)).toEqual(
      ['innovate-dev'],
    );
    expect(await store.getStacks(staging.entityRef)).toBeUndefined();
    // Once the catalog has dropped it, an environment of that name created again is listed again.
    snapshot.environments = [dev];
    await service.listEnvironments(everyone);
    snapshot.environments = [dev, staging];
    await service.onEnvironmentChanged('innovate-staging');
    expect((await service.listEnvironments(everyone)).map(e => e.name)).toEqual(
      ['innovate-dev', 'innovate-staging'],
    );
  });

  it('waits for a changed environment to reach the catalog before collecting its health', async () => {
    const { service, snapshot } = await setup([dev]);
    // The catalog discovers the new environment a moment after the change event.
    setTimeout(() => {
      snapshot.environments = [dev, staging];
    }, 15);
    await service.onEnvironmentChanged('innovate-staging');
    expect(mockCollectHealth).toHaveBeenCalledTimes(1);
    expect(mockCollectHealth.mock.calls[0][1].name).toBe('innovate-staging');
  });

  it('waits for the catalog to list every stack of a registered environment before its first health', async () => {
    const { service, snapshot } = await setup([dev]);
    // Discovered while its last stack was still being created: the catalog entity lacks it for a moment.
    snapshot.environments = [
      dev,
      { ...staging, stacks: staging.stacks.filter(s => !s.endsWith('-edge')) },
    ];
    setTimeout(() => {
      snapshot.environments = [dev, staging];
    }, 15);
    await service.onEnvironmentChanged('innovate-staging');
    expect(mockCollectHealthAndStacks).toHaveBeenCalledTimes(1);
    expect(mockCollectHealthAndStacks.mock.calls[0][1].stacks).toEqual(
      staging.stacks,
    );
    expect(staging.stacks).toHaveLength(6);
  });

  it('forgets environments that left the catalog', async () => {
    const { service, snapshot, store } = await setup([dev, staging]);
    await service.refreshHealth();
    snapshot.environments = [dev];
    await service.refreshHealth();
    expect(
      new Set((await store.listSummaries()).map(s => s.entityRef)),
    ).toEqual(new Set(['resource:default/innovate-dev']));
    expect(await store.getStacks(staging.entityRef)).toBeUndefined();
  });

  it('refreshes health, stacks and findings of one environment on demand, never costs', async () => {
    const { service } = await setup([dev, staging]);
    await service.refreshHealth();
    mockCollectHealthAndStacks.mockClear();
    const result = await service.refreshEnvironment(dev);
    const refreshed = {
      ok: true,
      state: 'refreshed',
      collectedAt: expect.any(String),
      nextRefreshAt: expect.any(String),
    };
    expect(result).toEqual({
      entityRef: 'resource:default/innovate-dev',
      sections: [
        { section: 'health', ...refreshed },
        { section: 'stacks', ...refreshed },
        { section: 'findings', ...refreshed },
      ],
    });
    // On demand, every stack is read again rather than kept from the last run.
    expect(mockCollectHealthAndStacks.mock.calls[0][3]).toEqual({
      previousStacks: undefined,
    });
    expect(mockCollectFindings.mock.calls[0][2]).toEqual(['innovate-dev']);
    expect(mockCollectCosts).not.toHaveBeenCalled();

    mockCollectHealthAndStacks.mockClear();
    mockCollectFindings.mockClear();
    const findingsOnly = await service.refreshEnvironment(dev, ['findings']);
    expect(findingsOnly.sections.map(s => s.section)).toEqual(['findings']);
    expect(mockCollectHealthAndStacks).not.toHaveBeenCalled();
    expect(mockCollectFindings).toHaveBeenCalledTimes(1);
  });

  it('serves the stack details collected by the health run, with the template status and account', async () => {
    const { service } = await setup([dev]);
    const never = await service.getStacks(dev);
    expect(never).toMatchObject({ stacks: [], stale: true });
    expect(never.collectedAt).toBeUndefined();

    await service.refreshHealth();
    const stacks = await service.getStacks(dev);
    expect(stacks).toMatchObject({
      accountId: DEV_ACCOUNT,
      accountName: 'innovate-dev',
      region: 'eu-central-1',
      template: {
        name: 'aws-environment',
        version: '1.0.0',
        latestVersion: '1.1.0',
        behind: true,
      },
      collectedAt: '2026-11-20T10:00:00.000Z',
      stale: false,
    });
    expect(stacks.stacks.map(s => s.stackName)).toEqual(dev.stacks);
    expect(stacks.stacks[0].outputs).toEqual([
      { key: 'ThingArn', value: 'arn:innovate-dev-network' },
    ]);
  });

  it('hands the last stored stack details to the next run, so that unchanged stacks are not read again', async () => {
    const { service } = await setup([dev]);
    await service.refreshHealth();
    expect(mockCollectHealthAndStacks.mock.calls[0][3]).toEqual({
      previousStacks: undefined,
    });
    await service.refreshHealth();
    expect(
      mockCollectHealthAndStacks.mock.calls[1][3]?.previousStacks?.map(
        s => s.stackName,
      ),
    ).toEqual(dev.stacks);
  });

  it('keeps health when only the stack details fail, and marks the stacks stale with the error', async () => {
    const { service, advance } = await setup([dev]);
    await service.refreshHealth();
    advance(60_000);
    mockCollectHealthAndStacks.mockImplementation(async (_f, env) => ({
      health: healthy(env),
      stacks: {
        error: Object.assign(
          new Error(
            'not authorized to perform: cloudformation:DescribeStackEvents',
          ),
          {
            name: 'AccessDenied',
          },
        ),
      },
    }));
    const outcome = await service.refreshHealth();
    expect(outcome).toEqual({ environments: 1, succeeded: 1, failed: 0 });
    expect(await service.getHealth(dev)).toMatchObject({
      stale: false,
      collectedAt: '2026-11-20T10:01:00.000Z',
    });
    const stacks = await service.getStacks(dev);
    expect(stacks).toMatchObject({
      stale: true,
      collectedAt: '2026-11-20T10:00:00.000Z',
      error:
        'AccessDenied: not authorized to perform: cloudformation:DescribeStackEvents',
    });
    // The last good details are still served.
    expect(stacks.stacks).toHaveLength(dev.stacks.length);
  });

  it('marks the stacks stale too when the whole health run fails', async () => {
    const { service } = await setup([dev]);
    mockCollectHealthAndStacks.mockRejectedValue(new Error('Rate exceeded'));
    await service.refreshHealth();
    expect(await service.getStacks(dev)).toMatchObject({
      stacks: [],
      stale: true,
      error: 'Rate exceeded',
    });
  });
});
