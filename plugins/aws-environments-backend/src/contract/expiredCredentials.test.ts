import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { environmentTarget } from '../__testUtils__/fixtures';
import { readInsightsConfig } from '../config';
import type { EnvironmentDirectory } from '../service/EnvironmentDirectory';
import { InsightsService } from '../service/InsightsService';
import { DatabaseInsightsStore } from '../service/InsightsStore';
import {
  AwsWire,
  XMLNS,
  awsJsonError,
  guardDns,
  isolateFromAwsEnvironment,
  queryError,
  restJson,
} from '@internal/plugin-aws-environments-node/testUtils';
import {
  MAIN_KEYS,
  NOW,
  ROLE_ARN,
  SESSION,
  answerAssumeRole,
  answerHealth,
  realModeFactory,
} from './environmentOnTheWire';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const env = environmentTarget({ name: 'innovate-dev' });

/** What STS and the services answer when the security token that signed a request has expired. */
const EXPIRED_MESSAGE = 'The security token included in the request is expired';

/** A sentence a person can read: no markup, no stack trace, no request id or raw response. */
function expectReadable(error: string | undefined) {
  expect(error).toBeDefined();
  expect(error).not.toMatch(/[<>{}]/);
  expect(error).not.toMatch(/\n|\bat .+:\d+:\d+/);
  expect(error).not.toMatch(/RequestId|\$metadata|x-amzn/i);
}

describe('expired credentials in the insights backend, with AWS on the wire', () => {
  let wire: AwsWire;
  let dnsGuard: ReturnType<typeof guardDns>;
  let environment: ReturnType<typeof isolateFromAwsEnvironment>;

  beforeAll(async () => {
    wire = await AwsWire.start();
  });
  afterAll(() => wire.close());
  beforeEach(() => {
    wire.reset();
    environment = isolateFromAwsEnvironment();
    dnsGuard = guardDns();
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
    dnsGuard.assertNoLookups();
  });

  async function insights(factory: AwsClientFactory) {
    const knex = await databases.init('SQLITE_3');
    const database: DatabaseService = { getClient: async () => knex };
    const store = await DatabaseInsightsStore.create({ database });
    const directory: EnvironmentDirectory = {
      list: async () => ({
        environments: [env],
        latestTemplateVersions: new Map(),
      }),
      invalidate: () => {},
    };
    const logger = mockServices.logger.mock();
    const service = new InsightsService({
      factory,
      store,
      directory,
      catalog: catalogServiceMock(),
      logger,
      config: readInsightsConfig(mockServices.rootConfig()),
      now: () => NOW,
    });
    return { service, logger };
  }

  /** Every line the service logged, for the check that no secret reached the logs. */
  function logged(logger: ReturnType<typeof mockServices.logger.mock>) {
    return [logger.warn, logger.info, logger.error, logger.debug]
      .flatMap(fn => fn.mock.calls)
      .map(call => JSON.stringify(call))
      .join('\n');
  }

  it('keeps the last good health, marked stale with a readable reason, when CloudFormation answers ExpiredToken', async () => {
    answerAssumeRole(wire);
    answerHealth(wire);
    const { service, logger } = await insights(realModeFactory(wire));
    await expect(service.refreshHealth()).resolves.toMatchObject({
      succeeded: 1,
    });
    expect(await service.getHealth(env)).toMatchObject({
      verdict: 'down',
      stale: false,
    });

    // Query protocol: the XML error body CloudFormation sends with HTTP 403.
    wire.replace(
      'cloudformation',
      'DescribeStacks',
      queryError(XMLNS.cloudformation, 'ExpiredToken', EXPIRED_MESSAGE, 403),
    );
    await expect(service.refreshHealth()).resolves.toMatchObject({
      failed: 1,
    });

    const health = await service.getHealth(env);
    expect(health.stale).toBe(true);
    expect(health.error).toBe(`ExpiredToken: ${EXPIRED_MESSAGE}`);
    expectReadable(health.error);
    // The last good report is still served.
    expect(health.verdict).toBe('down');
    expect(health.eks?.clusterName).toBe('innovate-dev-eks');
    const stacks = await service.getStacks(env);
    expect(stacks.stale).toBe(true);
    expect(stacks.stacks.length).toBeGreaterThan(0);
    expect(logged(logger)).not.toContain(SESSION.secretAccessKey);
    expect(logged(logger)).not.toContain(SESSION.sessionToken);
  });

  it('marks costs stale with a readable reason when Budgets answers ExpiredTokenException', async () => {
    answerAssumeRole(wire);
    // awsJson protocol: the error type and message in the JSON body, HTTP 400.
    wire.on(
      'budgets',
      'DescribeBudgets',
      awsJsonError('ExpiredTokenException', EXPIRED_MESSAGE),
    );
    const { service } = await insights(realModeFactory(wire));

    await expect(service.refreshCosts()).resolves.toMatchObject({
      failed: 1,
    });

    const costs = await service.getCosts(env);
    expect(costs.stale).toBe(true);
    expect(costs.error).toBe(`ExpiredTokenException: ${EXPIRED_MESSAGE}`);
    expectReadable(costs.error);
    // Not retried, and no paid Cost Explorer request was spent.
    expect(wire.requestsFor('budgets', 'DescribeBudgets')).toHaveLength(1);
    expect(wire.requestsFor('ce', 'GetCostAndUsage')).toEqual([]);
  });

  it('marks every section stale, naming the account and role, when the portal’s own session has expired and STS refuses the role', async () => {
    wire.on(
      'sts',
      'AssumeRole',
      queryError(XMLNS.sts, 'ExpiredToken', EXPIRED_MESSAGE, 403),
    );
    wire.on('securityhub', 'GetFindings', restJson({ Findings: [] }));
    const { service, logger } = await insights(realModeFactory(wire));

    await service.refreshHealth();
    await service.refreshCosts();
    await service.refreshFindings();

    const expected = `ExpiredToken: Could not get AWS credentials for account ${env.accountId} through role ${ROLE_ARN}: ${EXPIRED_MESSAGE}`;
    for (const section of [
      await service.getHealth(env),
      await service.getCosts(env),
      await service.getFindings(env),
    ]) {
      expect(section.stale).toBe(true);
      expect(section.error).toBe(expected);
      expectReadable(section.error);
    }
    // Only STS was asked: no service request went out unsigned or with the portal's own keys.
    expect(new Set(wire.operations())).toEqual(new Set(['sts.AssumeRole']));
    expect(
      wire.requests.every(
        r => r.signature?.accessKeyId === MAIN_KEYS.accessKeyId,
      ),
    ).toBe(true);
    expect(logged(logger)).not.toContain(MAIN_KEYS.secretAccessKey);
  });
});
