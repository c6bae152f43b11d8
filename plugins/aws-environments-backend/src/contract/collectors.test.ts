import { environmentTarget } from '../__testUtils__/fixtures';
import { collectAccountCostSeries } from '../service/collectors/costs';
import { collectAccountFindings } from '../service/collectors/findings';
import {
  collectHealth,
  collectHealthAndStacks,
} from '../service/collectors/health';
import {
  AwsWire,
  type WireRequest,
  XMLNS,
  awsJson,
  epochSeconds,
  guardDns,
  isolateFromAwsEnvironment,
  queryError,
  restJson,
  restJsonError,
} from '@internal/plugin-aws-environments-node/testUtils';
import {
  DEV_ACCOUNT,
  NOW,
  REGION,
  SESSION,
  answerAssumeRole,
  answerHealth,
  realModeFactory,
} from './environmentOnTheWire';

const env = environmentTarget({ name: 'innovate-dev' });
const ACCOUNT = { accountId: DEV_ACCOUNT, region: REGION };

describe('the insights collectors against AWS on the wire', () => {
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
    answerAssumeRole(wire);
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
    dnsGuard.assertNoLookups();
    wire.assertAllAnswered();
  });

  describe('health', () => {
    it('rolls the stacks, cluster, node groups, database and alarms read from the wire into one verdict', async () => {
      answerHealth(wire);

      const { health, stacks } = await collectHealthAndStacks(
        realModeFactory(wire),
        env,
        NOW,
      );

      expect(health.verdict).toBe('down');
      expect(health.reasons).toEqual([
        'Stack innovate-dev-edge does not exist',
        'Stack innovate-dev-security has drifted from its template',
        'Node group workers is UPDATING',
        'Alarm innovate-dev-db-cpu is in ALARM: Threshold Crossed: 1 datapoint [91.2] was greater than the threshold (80.0).',
      ]);
      expect(health.stacks).toContainEqual({
        stackName: 'innovate-dev-security',
        layer: 'security',
        status: 'UPDATE_COMPLETE',
        driftStatus: 'DRIFTED',
        lastUpdated: '2026-11-28T14:00:00.000Z',
        templateVersion: '1.4.0',
        statusReason: undefined,
      });
      // objectContaining: the reports gain fields (lifecycle) that other tests pin down.
      expect(health.eks).toEqual(
        expect.objectContaining({
          clusterName: 'innovate-dev-eks',
          status: 'ACTIVE',
          version: '1.34',
          nodegroups: [
            expect.objectContaining({
              name: 'system',
              status: 'ACTIVE',
              capacityType: 'ON_DEMAND',
              desiredSize: 2,
              instanceTypes: ['m6i.large'],
            }),
            expect.objectContaining({
              name: 'workers',
              status: 'UPDATING',
              capacityType: 'SPOT',
              desiredSize: 3,
              instanceTypes: ['m6i.xlarge', 'm7i.xlarge'],
            }),
          ],
        }),
      );
      expect(health.databases).toEqual([
        expect.objectContaining({
          identifier: 'innovate-dev-reporting',
          engine: 'aurora-postgresql',
          status: 'available',
          multiAz: true,
          storageEncrypted: true,
          backupRetentionDays: 14,
          instanceClass: 'db.r6g.large',
        }),
        expect.objectContaining({
          identifier: 'innovate-dev-db',
          engine: 'postgres',
          status: 'available',
          multiAz: false,
          storageEncrypted: true,
          backupRetentionDays: 7,
          instanceClass: 'db.t4g.medium',
        }),
      ]);
      expect(health.alarms.map(a => [a.name, a.state])).toEqual([
        ['dev-legacy-5xx', 'INSUFFICIENT_DATA'],
        ['innovate-dev-alb-5xx', 'OK'],
        ['innovate-dev-db-cpu', 'ALARM'],
      ]);

      // Stack details from the same run: outputs, resources and every page of the events.
      if (!('details' in stacks)) throw new Error('stack details missing');
      const network = stacks.details.find(
        d => d.stackName === 'innovate-dev-network',
      );
      expect(network?.outputs).toContainEqual({
        key: 'VpcCidr',
        value: '10.20.0.0/16',
        description: undefined,
        exportName: undefined,
      });
      expect(network?.events.map(e => e.status)).toEqual([
        'CREATE_COMPLETE',
        'CREATE_IN_PROGRESS',
      ]);
      expect(network?.resources).toEqual([
        {
          logicalId: 'Vpc',
          physicalId: 'vpc-0a1b2c3d4e5f60001',
          type: 'AWS::EC2::VPC',
          status: 'CREATE_COMPLETE',
          statusReason: undefined,
          driftStatus: 'IN_SYNC',
        },
      ]);
    });

    it('sends what each API requires, signed with the role session', async () => {
      answerHealth(wire);

      await collectHealthAndStacks(realModeFactory(wire), env, NOW);

      expect(
        wire
          .requestsFor('cloudformation', 'DescribeStacks')
          .map(r => r.params.get('StackName')),
      ).toEqual(env.stacks);
      expect(
        wire
          .requestsFor('cloudformation', 'DescribeStacks')[0]
          .params.get('Version'),
      ).toBe('2010-05-15');
      // Drift detection only where the last check is a day old or missing.
      expect(
        wire
          .requestsFor('cloudformation', 'DetectStackDrift')
          .map(r => r.params.get('StackName'))
          .sort(),
      ).toEqual(['innovate-dev-compute', 'innovate-dev-observability']);
      expect(
        wire
          .requestsFor('cloudformation', 'DescribeStackEvents')
          .filter(r => r.params.get('StackName') === 'innovate-dev-network')
          .map(r => r.params.get('NextToken')),
      ).toEqual([null, 'network-events-2']);
      expect(
        wire.requestsFor('eks', 'DescribeCluster').map(r => r.path),
      ).toEqual(['/clusters/innovate-dev-eks']);
      expect(
        wire
          .requestsFor('eks', 'ListNodegroups')
          .map(r => [r.path, r.query.get('nextToken')]),
      ).toEqual([
        ['/clusters/innovate-dev-eks/node-groups', null],
        ['/clusters/innovate-dev-eks/node-groups', 'nodegroups-2'],
      ]);
      expect(
        wire
          .requestsFor('rds', 'DescribeDBInstances')[0]
          .params.get('DBInstanceIdentifier'),
      ).toBe('innovate-dev-db');
      expect(
        Object.fromEntries(
          wire.requestsFor('rds', 'DescribeDBClusters')[0].params,
        ),
      ).toEqual({
        Action: 'DescribeDBClusters',
        Version: '2014-10-31',
        DBClusterIdentifier: 'innovate-dev-reporting',
      });
      expect(
        wire.requestsFor('monitoring', 'DescribeAlarms').map(r => r.json),
      ).toEqual([
        { AlarmNamePrefix: 'innovate-dev-', AlarmTypes: ['MetricAlarm'] },
        {
          AlarmNamePrefix: 'innovate-dev-',
          AlarmTypes: ['MetricAlarm'],
          NextToken: 'alarms-2',
        },
        { AlarmNames: ['dev-legacy-5xx'] },
      ]);
      const serviceRequests = wire.requests.filter(r => r.service !== 'sts');
      expect(
        serviceRequests.every(
          r =>
            r.signature?.accessKeyId === SESSION.accessKeyId &&
            r.signature.region === REGION &&
            r.headers['x-amz-security-token'] === SESSION.sessionToken,
        ),
      ).toBe(true);
    });

    it('reports databases RDS no longer knows (DBInstanceNotFound, DBClusterNotFoundFault on the wire) as gone', async () => {
      answerHealth(wire);
      wire
        .replace('rds', 'DescribeDBInstances', () =>
          queryError(
            XMLNS.rds,
            'DBInstanceNotFound',
            'DBInstance innovate-dev-db not found.',
            404,
          ),
        )
        .replace('rds', 'DescribeDBClusters', () =>
          queryError(
            XMLNS.rds,
            'DBClusterNotFoundFault',
            'DBCluster innovate-dev-reporting not found.',
            404,
          ),
        );

      const health = await collectHealth(realModeFactory(wire), env, NOW);

      expect(health.databases).toEqual([
        expect.objectContaining({
          identifier: 'innovate-dev-reporting',
          status: 'NOT_FOUND',
        }),
        expect.objectContaining({
          identifier: 'innovate-dev-db',
          status: 'NOT_FOUND',
        }),
      ]);
      expect(health.reasons).toEqual(
        expect.arrayContaining([
          'Database innovate-dev-reporting does not exist',
          'Database innovate-dev-db does not exist',
        ]),
      );
    });
  });

  describe('costs', () => {
    const group = (
      environmentName: string,
      service: string,
      amount: string,
    ) => ({
      Keys: [`innovate:environment$${environmentName}`, service],
      Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
    });
    const dayOf = (date: string, groups: unknown[]) => ({
      TimePeriod: {
        Start: date,
        End: new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000)
          .toISOString()
          .slice(0, 10),
      },
      Total: {},
      Groups: groups,
      Estimated: false,
    });

    function answerCosts() {
      // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudgets.html
      wire.on('budgets', 'DescribeBudgets', request =>
        request.json?.NextToken === 'budgets-2'
          ? awsJson({
              Budgets: [
                {
                  BudgetName: 'innovate-dev-monthly',
                  BudgetType: 'COST',
                  TimeUnit: 'MONTHLY',
                  BudgetLimit: { Amount: '500.0', Unit: 'USD' },
                  TimePeriod: {
                    Start: epochSeconds(new Date('2026-01-01T00:00:00Z')),
                    End: epochSeconds(new Date('2087-06-15T00:00:00Z')),
                  },
                  CalculatedSpend: {
                    ActualSpend: { Amount: '123.45', Unit: 'USD' },
                    ForecastedSpend: { Amount: '480.1', Unit: 'USD' },
                  },
                  LastUpdatedTime: epochSeconds(NOW),
                },
              ],
            })
          : awsJson({
              Budgets: [
                {
                  BudgetName: 'staging-budget',
                  BudgetType: 'COST',
                  TimeUnit: 'MONTHLY',
                  BudgetLimit: { Amount: '300', Unit: 'USD' },
                  FilterExpression: {
                    Tags: {
                      Key: 'user:innovate:environment',
                      Values: ['innovate-staging'],
                    },
                  },
                  CalculatedSpend: {
                    ActualSpend: { Amount: '40', Unit: 'USD' },
                  },
                },
              ],
              NextToken: 'budgets-2',
            }),
      );
      // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html
      const byTag = [{ Type: 'TAG', Key: 'innovate:environment' }];
      const byTagAndService = [...byTag, { Type: 'DIMENSION', Key: 'SERVICE' }];
      const total = (environmentName: string, amount: string) => ({
        Keys: [`innovate:environment$${environmentName}`],
        Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } },
      });
      const lastDays = [
        dayOf('2026-11-30', [
          total('innovate-dev', '9.75'),
          total('innovate-staging', '2.4'),
          // Untagged usage (an empty tag value) belongs to no environment.
          total('', '1.0'),
        ]),
        dayOf('2026-12-01', [total('innovate-dev', '14.75')]),
        dayOf('2026-12-02', [
          total('innovate-dev', '11.5'),
          total('innovate-staging', '2.4'),
        ]),
      ];
      wire.on('ce', 'GetCostAndUsage', request => {
        const input = request.json ?? {};
        if (input.Granularity === 'MONTHLY') {
          return awsJson({
            ResultsByTime: [
              {
                TimePeriod: { Start: '2026-11-01', End: '2026-12-01' },
                Total: {},
                Groups: [
                  group(
                    'innovate-dev',
                    'Amazon Elastic Compute Cloud - Compute',
                    '9.75',
                  ),
                  group(
                    'innovate-staging',
                    'Amazon Elastic Container Service for Kubernetes',
                    '2.4',
                  ),
                  group('', 'AWS Key Management Service', '1.0'),
                ],
                Estimated: false,
              },
              {
                TimePeriod: { Start: '2026-12-01', End: '2026-12-03' },
                Total: {},
                Groups: [
                  group(
                    'innovate-dev',
                    'Amazon Elastic Compute Cloud - Compute',
                    '22',
                  ),
                  group(
                    'innovate-dev',
                    'Amazon Relational Database Service',
                    '4.25',
                  ),
                  group(
                    'innovate-staging',
                    'Amazon Elastic Container Service for Kubernetes',
                    '2.4',
                  ),
                ],
                Estimated: true,
              },
            ],
            GroupDefinitions: byTagAndService,
            DimensionValueAttributes: [],
          });
        }
        if (input.TimePeriod?.Start === '2026-11-30') {
          // The refresh window of an incremental read: one page.
          return awsJson({
            ResultsByTime: lastDays,
            GroupDefinitions: byTag,
            DimensionValueAttributes: [],
          });
        }
        return input.NextPageToken === 'costs-2'
          ? awsJson({
              ResultsByTime: lastDays.slice(1),
              GroupDefinitions: byTag,
              DimensionValueAttributes: [],
            })
          : awsJson({
              ResultsByTime: lastDays.slice(0, 1),
              GroupDefinitions: byTag,
              DimensionValueAttributes: [],
              NextPageToken: 'costs-2',
            });
      });
    }

    it('adds up every page of GetCostAndUsage per environment and matches the budgets of every page', async () => {
      answerCosts();

      const { reports, fetch } = await collectAccountCostSeries(
        realModeFactory(wire),
        ACCOUNT,
        ['innovate-dev', 'innovate-staging'],
        NOW,
      );

      // Two pages of daily totals by environment, one of monthly service shares.
      expect(fetch).toMatchObject({ mode: 'full', requests: 3 });
      const dev = reports.get('innovate-dev')!;
      expect(dev.currency).toBe('USD');
      expect(dev.monthToDate).toBe(26.25);
      expect(dev.lastMonth).toBe(9.75);
      // Each day's total is split by its month's service shares.
      expect(dev.daily.filter(d => d.amount > 0)).toEqual([
        {
          date: '2026-11-30',
          amount: 9.75,
          byService: { 'Amazon Elastic Compute Cloud - Compute': 9.75 },
        },
        {
          date: '2026-12-01',
          amount: 14.75,
          byService: {
            'Amazon Elastic Compute Cloud - Compute': 12.36,
            'Amazon Relational Database Service': 2.39,
          },
        },
        {
          date: '2026-12-02',
          amount: 11.5,
          byService: {
            'Amazon Elastic Compute Cloud - Compute': 9.64,
            'Amazon Relational Database Service': 1.86,
          },
        },
      ]);
      expect(dev.topServices[0]).toEqual({
        service: 'Amazon Elastic Compute Cloud - Compute',
        amount: 31.75,
      });
      expect(dev.budget).toEqual({
        name: 'innovate-dev-monthly',
        limit: 500,
        actual: 123.45,
        forecast: 480.1,
      });
      expect(reports.get('innovate-staging')).toMatchObject({
        monthToDate: 2.4,
        lastMonth: 2.4,
        budget: { name: 'staging-budget', limit: 300, actual: 40 },
      });
    });

    it('asks Cost Explorer and Budgets in us-east-1 with the parameters their APIs require', async () => {
      answerCosts();

      await collectAccountCostSeries(
        realModeFactory(wire),
        ACCOUNT,
        ['innovate-dev'],
        NOW,
      );

      const ce = wire.requestsFor('ce', 'GetCostAndUsage');
      expect(ce[0].headers['x-amz-target']).toBe(
        'AWSInsightsIndexService.GetCostAndUsage',
      );
      expect(ce[0].json).toEqual({
        TimePeriod: { Start: '2026-09-04', End: '2026-12-03' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'innovate:environment' }],
      });
      expect(ce[1].json).toMatchObject({
        TimePeriod: { Start: '2026-09-04', End: '2026-12-03' },
        NextPageToken: 'costs-2',
      });
      expect(ce[2].json).toEqual({
        TimePeriod: { Start: '2026-11-01', End: '2026-12-03' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'TAG', Key: 'innovate:environment' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
      });
      expect(ce).toHaveLength(3);
      const budgets = wire.requestsFor('budgets', 'DescribeBudgets');
      expect(budgets[0].headers['x-amz-target']).toBe(
        'AWSBudgetServiceGateway.DescribeBudgets',
      );
      expect(budgets.map(r => r.json)).toEqual([
        { AccountId: DEV_ACCOUNT },
        { AccountId: DEV_ACCOUNT, NextToken: 'budgets-2' },
      ]);
      for (const request of [...ce, ...budgets]) {
        expect(request.signature?.region).toBe('us-east-1');
        expect(request.signature?.accessKeyId).toBe(SESSION.accessKeyId);
      }
      expect(ce[0].signature?.service).toBe('ce');
      // Budgets are read first, so that no paid Cost Explorer request is spent when they cannot be.
      expect(wire.operations().filter(op => op !== 'sts.AssumeRole')[0]).toBe(
        'budgets.DescribeBudgets',
      );
    });

    it('asks only for the refresh window by environment tag on an incremental read, in one request', async () => {
      answerCosts();
      const factory = realModeFactory(wire);
      const envs = ['innovate-dev', 'innovate-staging'];
      const first = await collectAccountCostSeries(factory, ACCOUNT, envs, NOW);
      const before = wire.requestsFor('ce', 'GetCostAndUsage').length;

      const { reports, fetch } = await collectAccountCostSeries(
        factory,
        ACCOUNT,
        envs,
        NOW,
        { previous: first.reports, refreshWindowDays: 3 },
      );

      const ce = wire.requestsFor('ce', 'GetCostAndUsage').slice(before);
      expect(ce.map(r => r.json)).toEqual([
        {
          TimePeriod: { Start: '2026-11-30', End: '2026-12-03' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'TAG', Key: 'innovate:environment' }],
        },
      ]);
      expect(fetch).toMatchObject({ mode: 'incremental', requests: 1 });
      expect(reports).toEqual(first.reports);
    });
  });

  describe('findings', () => {
    /** An ASFF finding (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html). */
    const asff = (
      id: string,
      severity: string,
      product: string,
      environmentName: string,
      firstObservedAt: string,
    ) => ({
      SchemaVersion: '2018-10-08',
      Id: id,
      ProductArn: `arn:aws:securityhub:${REGION}::product/aws/${product.toLowerCase()}`,
      ProductName: product,
      CompanyName: 'AWS',
      GeneratorId: `${product}-generator`,
      AwsAccountId: DEV_ACCOUNT,
      Types: ['Software and Configuration Checks'],
      FirstObservedAt: firstObservedAt,
      CreatedAt: firstObservedAt,
      UpdatedAt: '2026-12-02T10:00:00.000Z',
      Severity: { Label: severity, Normalized: 70 },
      Title: `${product} finding ${id}`,
      Description: 'A finding',
      Resources: [
        {
          Type: 'AwsEc2Instance',
          Id: `arn:aws:ec2:${REGION}:${DEV_ACCOUNT}:instance/i-${id}`,
          Partition: 'aws',
          Region: REGION,
          Tags: { 'innovate:environment': environmentName },
        },
      ],
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });

    it('counts every page of Security Hub GetFindings per environment', async () => {
      wire.on('securityhub', 'GetFindings', request =>
        request.json?.NextToken === 'findings-2'
          ? restJson({
              Findings: [
                asff(
                  '3',
                  'CRITICAL',
                  'GuardDuty',
                  'innovate-dev',
                  '2026-11-20T08:00:00.000Z',
                ),
                asff(
                  '4',
                  'LOW',
                  'Inspector',
                  'innovate-staging',
                  '2026-11-21T08:00:00.000Z',
                ),
              ],
            })
          : restJson({
              Findings: [
                asff(
                  '1',
                  'HIGH',
                  'Inspector',
                  'innovate-dev',
                  '2026-11-01T08:00:00.000Z',
                ),
                asff(
                  '2',
                  'HIGH',
                  'Security Hub',
                  'innovate-dev',
                  '2026-11-10T08:00:00.000Z',
                ),
              ],
              NextToken: 'findings-2',
            }),
      );

      const reports = await collectAccountFindings(
        realModeFactory(wire),
        ACCOUNT,
        ['innovate-dev', 'innovate-staging'],
      );

      const dev = reports.get('innovate-dev')!;
      expect(dev.source).toBe('securityhub');
      expect(dev.counts).toEqual({
        CRITICAL: 1,
        HIGH: 2,
        MEDIUM: 0,
        LOW: 0,
        INFORMATIONAL: 0,
      });
      expect(dev.byProduct).toEqual({
        GuardDuty: 1,
        Inspector: 1,
        'Security Hub': 1,
      });
      expect(dev.top.map(f => f.id)).toEqual(['3', '1', '2']);
      expect(dev.top[0]).toMatchObject({
        severity: 'CRITICAL',
        resourceType: 'AwsEc2Instance',
        workflowState: 'NEW',
        firstObservedAt: '2026-11-20T08:00:00.000Z',
      });
      expect(reports.get('innovate-staging')?.counts.LOW).toBe(1);

      const requests = wire.requestsFor('securityhub', 'GetFindings');
      expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
        'POST /findings',
        'POST /findings',
      ]);
      expect(requests[0].json).toEqual({
        Filters: {
          ResourceTags: [
            {
              Key: 'innovate:environment',
              Value: 'innovate-dev',
              Comparison: 'EQUALS',
            },
            {
              Key: 'innovate:environment',
              Value: 'innovate-staging',
              Comparison: 'EQUALS',
            },
          ],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          WorkflowStatus: [
            { Value: 'NEW', Comparison: 'EQUALS' },
            { Value: 'NOTIFIED', Comparison: 'EQUALS' },
          ],
        },
        MaxResults: 100,
      });
      expect(requests[1].json.NextToken).toBe('findings-2');
    });

    it('falls back to GuardDuty and Inspector, page by page, where Security Hub is not enabled', async () => {
      wire.on(
        'securityhub',
        'GetFindings',
        restJsonError(
          'InvalidAccessException',
          `Account ${DEV_ACCOUNT} is not subscribed to AWS Security Hub`,
          401,
        ),
      );
      // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListDetectors.html
      wire.on(
        'guardduty',
        'ListDetectors',
        restJson({ detectorIds: ['d0detector'] }),
      );
      // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListFindings.html
      wire.on('guardduty', 'ListFindings', (request: WireRequest) =>
        request.json?.nextToken === 'gd-2'
          ? restJson({ findingIds: ['gd-finding-2'] })
          : restJson({ findingIds: ['gd-finding-1'], nextToken: 'gd-2' }),
      );
      // https://docs.aws.amazon.com/guardduty/latest/APIReference/API_GetFindings.html
      wire.on('guardduty', 'GetFindings', (request: WireRequest) =>
        restJson({
          findings: (request.json?.findingIds ?? []).map(
            (id: string, i: number) => ({
              accountId: DEV_ACCOUNT,
              arn: `arn:aws:guardduty:${REGION}:${DEV_ACCOUNT}:detector/d0detector/finding/${id}`,
              createdAt: '2026-11-25T08:00:00.000Z',
              id,
              partition: 'aws',
              region: REGION,
              schemaVersion: '2.0',
              severity: i === 0 ? 8.0 : 5.0,
              title: `Unusual traffic ${id}`,
              type: 'Recon:EC2/PortProbeUnprotectedPort',
              updatedAt: '2026-12-01T08:00:00.000Z',
              resource: {
                resourceType: 'Instance',
                instanceDetails: {
                  instanceId: `i-${id}`,
                  tags: [
                    { key: 'innovate:environment', value: 'innovate-dev' },
                    { key: 'Name', value: 'worker' },
                  ],
                },
              },
              service: {
                archived: false,
                count: 3,
                eventFirstSeen: '2026-11-24T08:00:00.000Z',
                eventLastSeen: '2026-12-01T08:00:00.000Z',
              },
            }),
          ),
        }),
      );
      // https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListFindings.html
      wire.on('inspector2', 'ListFindings', (request: WireRequest) =>
        restJson({
          findings: [
            {
              findingArn: `arn:aws:inspector2:${REGION}:${DEV_ACCOUNT}:finding/${
                request.json?.nextToken ? 'second' : 'first'
              }`,
              awsAccountId: DEV_ACCOUNT,
              type: 'PACKAGE_VULNERABILITY',
              title: 'CVE in openssl',
              description: 'A vulnerable package',
              severity: request.json?.nextToken ? 'MEDIUM' : 'HIGH',
              status: 'ACTIVE',
              firstObservedAt: epochSeconds(new Date('2026-11-15T08:00:00Z')),
              lastObservedAt: epochSeconds(new Date('2026-12-01T08:00:00Z')),
              updatedAt: epochSeconds(new Date('2026-12-01T08:00:00Z')),
              remediation: { recommendation: { text: 'Update openssl' } },
              resources: [
                {
                  type: 'AWS_EC2_INSTANCE',
                  id: 'i-0inspected',
                  partition: 'aws',
                  region: REGION,
                  tags: { 'innovate:environment': 'innovate-dev' },
                },
              ],
            },
          ],
          ...(request.json?.nextToken ? {} : { nextToken: 'inspector-2' }),
        }),
      );

      const reports = await collectAccountFindings(
        realModeFactory(wire),
        ACCOUNT,
        ['innovate-dev'],
      );

      const dev = reports.get('innovate-dev')!;
      expect(dev.source).toBe('guardduty-inspector');
      expect(dev.counts).toMatchObject({ HIGH: 2, MEDIUM: 2 });
      expect(dev.byProduct).toEqual({ GuardDuty: 2, Inspector: 2 });
      expect(dev.top.find(f => f.id === 'gd-finding-1')).toMatchObject({
        severity: 'HIGH',
        resourceId: 'i-gd-finding-1',
        resourceType: 'Instance',
        firstObservedAt: '2026-11-24T08:00:00.000Z',
      });
      expect(dev.top.find(f => f.product === 'Inspector')).toMatchObject({
        firstObservedAt: '2026-11-15T08:00:00.000Z',
        resourceType: 'AWS_EC2_INSTANCE',
      });

      expect(wire.requestsFor('guardduty', 'ListDetectors')[0].method).toBe(
        'GET',
      );
      const listed = wire.requestsFor('guardduty', 'ListFindings');
      expect(listed.map(r => r.path)).toEqual([
        '/detector/d0detector/findings',
        '/detector/d0detector/findings',
      ]);
      expect(listed[0].json).toEqual({
        findingCriteria: {
          criterion: { 'service.archived': { equals: ['false'] } },
        },
      });
      expect(listed[1].json.nextToken).toBe('gd-2');
      expect(wire.requestsFor('guardduty', 'GetFindings')[0].json).toEqual({
        findingIds: ['gd-finding-1', 'gd-finding-2'],
      });
      const inspector = wire.requestsFor('inspector2', 'ListFindings');
      expect(inspector.map(r => r.json)).toEqual([
        {
          filterCriteria: {
            findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
          },
        },
        {
          filterCriteria: {
            findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
          },
          nextToken: 'inspector-2',
        },
      ]);
    });
  });
});
