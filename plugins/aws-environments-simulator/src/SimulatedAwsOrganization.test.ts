import path from 'node:path';
import { BudgetsClient, DescribeBudgetsCommand } from '@aws-sdk/client-budgets';
import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  GetFindingsCommand as GetGuardDutyFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand as ListGuardDutyFindingsCommand,
} from '@aws-sdk/client-guardduty';
import {
  Inspector2Client,
  ListFindingsCommand as ListInspectorFindingsCommand,
} from '@aws-sdk/client-inspector2';
import {
  DescribeServicesCommand,
  PricingClient,
} from '@aws-sdk/client-pricing';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  GetFindingsCommand,
  paginateGetFindings,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NotAllowedError } from '@backstage/errors';
import { createSimulatedAwsClientFactory } from './factory';
import type { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';

const BLUEPRINT_DIR = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);
const NOW = Date.parse('2026-11-27T12:00:00Z');
const dev = { accountId: '222222222222', region: 'eu-central-1' };
const prod = { accountId: '333333333333', region: 'eu-central-1' };

let factory: SimulatedAwsClientFactory;

beforeAll(async () => {
  factory = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    now: () => NOW,
  });
  await factory.organization.whenReady();
});

function sumDaily(
  results: ResultByTime[],
  environment: string,
  from: number,
  to: number,
) {
  return results.slice(from, to).reduce((sum, result) => {
    const group = result.Groups?.find(
      g => g.Keys?.[0] === `innovate:environment$${environment}`,
    );
    return sum + Number(group?.Metrics?.UnblendedCost?.Amount ?? 0);
  }, 0);
}

describe('simulated AWS organization', () => {
  it('starts with the three environments of the blueprint, complete and tagged', async () => {
    expect(
      factory.organization
        .listEnvironments()
        .map(e => [e.name, e.accountId, e.stage]),
    ).toEqual([
      ['innovate-dev', '222222222222', 'dev'],
      ['innovate-prod', '333333333333', 'prod'],
      ['innovate-staging', '222222222222', 'staging'],
    ]);
    const cfn = await factory.getClient(CloudFormationClient, dev);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({}));
    expect(Stacks!.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);
    expect(Stacks!.map(s => s.StackName)).toEqual(
      expect.arrayContaining([
        'innovate-dev-network',
        'innovate-dev-compute',
        'innovate-staging-data',
        'innovate-staging-edge',
      ]),
    );
    expect(Stacks![0].Tags).toEqual(
      expect.arrayContaining([
        { Key: 'innovate:environment', Value: 'innovate-dev' },
        { Key: 'innovate:owner', Value: 'group:default/web-team' },
      ]),
    );
  });

  it('is deterministic from its seed', async () => {
    const again = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
    });
    const other = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      seed: 8,
    });
    const vpc = async (f: SimulatedAwsClientFactory) => {
      const cfn = await f.getClient(CloudFormationClient, dev);
      const { Stacks } = await cfn.send(
        new DescribeStacksCommand({ StackName: 'innovate-dev-network' }),
      );
      return Stacks![0].Outputs!.find(o => o.OutputKey === 'VpcId')!
        .OutputValue;
    };
    expect(await vpc(again)).toBe(await vpc(factory));
    expect(await vpc(other)).not.toBe(await vpc(factory));
  });

  it('answers EKS and RDS from the stacks: small dev, Multi-AZ prod', async () => {
    const eks = await factory.getClient(EKSClient, dev);
    const { clusters } = await eks.send(new ListClustersCommand({}));
    expect(clusters).toHaveLength(2);
    const { cluster } = await eks.send(
      new DescribeClusterCommand({ name: clusters![0] }),
    );
    expect(cluster).toMatchObject({
      status: 'ACTIVE',
      arn: expect.stringMatching(
        /^arn:aws:eks:eu-central-1:222222222222:cluster\//,
      ),
    });
    const { nodegroups } = await eks.send(
      new ListNodegroupsCommand({ clusterName: clusters![0] }),
    );
    expect(nodegroups!.length).toBeGreaterThan(0);
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({
        clusterName: clusters![0],
        nodegroupName: nodegroups![0],
      }),
    );
    expect(nodegroup).toMatchObject({
      status: 'ACTIVE',
      scalingConfig: { desiredSize: expect.any(Number) },
    });
    await expect(
      eks.send(new DescribeClusterCommand({ name: 'nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    const devDatabases = (
      await (
        await factory.getClient(RDSClient, dev)
      ).send(new DescribeDBInstancesCommand({}))
    ).DBInstances!;
    const prodDatabases = (
      await (
        await factory.getClient(RDSClient, prod)
      ).send(new DescribeDBInstancesCommand({}))
    ).DBInstances!;
    const prodNetwork = (
      await (
        await factory.getClient(CloudFormationClient, prod)
      ).send(new DescribeStacksCommand({ StackName: 'innovate-prod-network' }))
    ).Stacks![0];
    const subnets = (key: string) =>
      prodNetwork
        .Outputs!.find(o => o.OutputKey === key)!
        .OutputValue!.split(',');
    expect(subnets('PublicSubnetIds')).toHaveLength(3);
    expect(subnets('DatabaseSubnetIds')).toHaveLength(3);
    expect(
      devDatabases.every(
        d => d.DBInstanceStatus === 'available' && d.StorageEncrypted,
      ),
    ).toBe(true);
    expect(devDatabases.some(d => d.MultiAZ)).toBe(false);
    expect(prodDatabases.some(d => d.MultiAZ)).toBe(true);
  });

  it('has one alarm in ALARM, on innovate-staging, with metric data to match', async () => {
    const cloudwatch = await factory.getClient(CloudWatchClient, dev);
    const { MetricAlarms } = await cloudwatch.send(
      new DescribeAlarmsCommand({ StateValue: 'ALARM' }),
    );
    expect(MetricAlarms).toHaveLength(1);
    expect(MetricAlarms![0].AlarmName).toMatch(/^innovate-staging-/);
    const prodAlarms = await (
      await factory.getClient(CloudWatchClient, prod)
    ).send(new DescribeAlarmsCommand({}));
    expect(prodAlarms.MetricAlarms!.every(a => a.StateValue === 'OK')).toBe(
      true,
    );

    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 3_600_000),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/RDS',
                MetricName: 'CPUUtilization',
                Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'x' }],
              },
              Period: 300,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    expect(MetricDataResults![0].Values).toHaveLength(12);
  });

  it('shows innovate-prod-security drifted and the other stacks in sync', async () => {
    const cfn = await factory.getClient(CloudFormationClient, prod);
    const detect = async (stackName: string) => {
      const { StackDriftDetectionId } = await cfn.send(
        new DetectStackDriftCommand({ StackName: stackName }),
      );
      return cfn.send(
        new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId }),
      );
    };
    expect(await detect('innovate-prod-security')).toMatchObject({
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 1,
    });
    expect(await detect('innovate-prod-network')).toMatchObject({
      StackDriftStatus: 'IN_SYNC',
    });
    const { StackResourceDrifts } = await cfn.send(
      new DescribeStackResourceDriftsCommand({
        StackName: 'innovate-prod-security',
        StackResourceDriftStatusFilters: ['MODIFIED'],
      }),
    );
    expect(StackResourceDrifts).toHaveLength(1);
    expect(StackResourceDrifts![0].PropertyDifferences!.length).toBeGreaterThan(
      0,
    );
  });

  it('reports 90 days of daily cost grouped by environment tag and service, prod several times staging', async () => {
    const costExplorer = await factory.getClient(CostExplorerClient, dev);
    const input = {
      TimePeriod: { Start: '2026-08-29', End: '2026-11-27' },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG' as const, Key: 'innovate:environment' },
        { Type: 'DIMENSION' as const, Key: 'SERVICE' },
      ],
    };
    const { ResultsByTime } = await costExplorer.send(
      new GetCostAndUsageCommand(input),
    );
    expect(ResultsByTime).toHaveLength(90);
    const keys = new Set(
      ResultsByTime!.flatMap(r => r.Groups!.map(g => g.Keys!.join(' | '))),
    );
    expect(keys).toContain(
      'innovate:environment$innovate-dev | Amazon Elastic Kubernetes Service',
    );
    expect(keys).toContain(
      'innovate:environment$innovate-staging | Amazon Relational Database Service',
    );
    expect(keys).toContain('innovate:environment$ | AWS Config');
    expect([...keys].some(k => k.includes('innovate-prod'))).toBe(false);

    const byEnvironment = (
      await costExplorer.send(
        new GetCostAndUsageCommand({ ...input, GroupBy: [input.GroupBy[0]] }),
      )
    ).ResultsByTime!;
    const prodDaily = (
      await (
        await factory.getClient(CostExplorerClient, prod)
      ).send(
        new GetCostAndUsageCommand({ ...input, GroupBy: [input.GroupBy[0]] }),
      )
    ).ResultsByTime!;
    const ratio =
      sumDaily(prodDaily, 'innovate-prod', 0, 90) /
      sumDaily(byEnvironment, 'innovate-staging', 0, 90);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(5);

    // Weekly rhythm: weekend days cost less than weekdays.
    const weekday = (r: ResultByTime) =>
      new Date(`${r.TimePeriod!.Start}T00:00:00Z`).getUTCDay();
    const weekend = byEnvironment.filter(r => [0, 6].includes(weekday(r)));
    const week = byEnvironment.filter(r => ![0, 6].includes(weekday(r)));
    const mean = (rs: ResultByTime[]) =>
      sumDaily(rs, 'innovate-staging', 0, rs.length) / rs.length;
    expect(mean(weekend)).toBeLessThan(mean(week));
  });

  it('filters costs on tags and pages them with NextPageToken', async () => {
    const paged = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      costGroupsPerPage: 100,
    });
    const client = await paged.getClient(CostExplorerClient, dev);
    const input = {
      TimePeriod: { Start: '2026-10-28', End: '2026-11-27' },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      Filter: {
        Tags: { Key: 'innovate:environment', Values: ['innovate-dev'] },
      },
      GroupBy: [{ Type: 'DIMENSION' as const, Key: 'SERVICE' }],
    };
    // The SDK has no paginator for GetCostAndUsage: callers follow NextPageToken themselves.
    const pages = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetCostAndUsageCommand({ ...input, NextPageToken: token }),
      );
      pages.push(page);
      token = page.NextPageToken;
    } while (token);
    expect(pages.length).toBeGreaterThan(1);
    const results = pages.flatMap(p => p.ResultsByTime!);
    expect(results.map(r => r.TimePeriod!.Start)).toHaveLength(30);
    expect(new Set(results.map(r => r.TimePeriod!.Start)).size).toBe(30);
    expect(paged.getRequestCounts().costexplorer.GetCostAndUsage).toBe(
      pages.length,
    );

    const monthly = await client.send(
      new GetCostAndUsageCommand({
        ...input,
        Granularity: 'MONTHLY',
        GroupBy: undefined,
      }),
    );
    const dailyTotal = results.reduce(
      (s, r) =>
        s +
        r.Groups!.reduce(
          (g, x) => g + Number(x.Metrics!.UnblendedCost.Amount),
          0,
        ),
      0,
    );
    const monthlyTotal = monthly.ResultsByTime!.reduce(
      (s, r) => s + Number(r.Total!.UnblendedCost.Amount),
      0,
    );
    expect(monthlyTotal).toBeCloseTo(dailyTotal, 6);
  });

  it('forecasts costs and has one environment budget forecast to overrun', async () => {
    const forecast = await (
      await factory.getClient(CostExplorerClient, dev)
    ).send(
      new GetCostForecastCommand({
        TimePeriod: { Start: '2026-11-27', End: '2026-12-01' },
        Metric: 'UNBLENDED_COST',
        Granularity: 'MONTHLY',
        Filter: {
          Tags: { Key: 'innovate:environment', Values: ['innovate-staging'] },
        },
      }),
    );
    expect(Number(forecast.Total!.Amount)).toBeGreaterThan(0);

    const budgets = [
      ...(
        await (
          await factory.getClient(BudgetsClient, dev)
        ).send(new DescribeBudgetsCommand({ AccountId: dev.accountId }))
      ).Budgets!,
      ...(
        await (
          await factory.getClient(BudgetsClient, prod)
        ).send(new DescribeBudgetsCommand({ AccountId: prod.accountId }))
      ).Budgets!,
    ];
    expect(budgets).toHaveLength(3);
    const overrunning = budgets.filter(
      b =>
        Number(b.CalculatedSpend!.ForecastedSpend!.Amount) >
        Number(b.BudgetLimit!.Amount),
    );
    expect(overrunning.map(b => b.CostFilters!.TagKeyValue)).toEqual([
      ['user:innovate:environment$innovate-dev'],
    ]);
  });

  it('serves a few dozen findings that filter by environment tag, severity and product, page by page', async () => {
    const securityHub = await factory.getClient(SecurityHubClient, dev);
    const all: AwsSecurityFinding[] = [];
    for await (const page of paginateGetFindings(
      { client: securityHub, pageSize: 7 },
      {},
    ))
      all.push(...page.Findings!);
    const prodFindings = (
      await (
        await factory.getClient(SecurityHubClient, prod)
      ).send(new GetFindingsCommand({}))
    ).Findings!;
    expect(all.length + prodFindings.length).toBeGreaterThanOrEqual(30);
    expect(new Set(all.map(f => f.Id)).size).toBe(all.length);
    expect(new Set(all.map(f => f.ProductName))).toEqual(
      new Set(['GuardDuty', 'Inspector', 'Security Hub']),
    );

    const { Findings: staging } = await securityHub.send(
      new GetFindingsCommand({
        Filters: {
          ResourceTags: [
            {
              Key: 'innovate:environment',
              Value: 'innovate-staging',
              Comparison: 'EQUALS',
            },
          ],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
      }),
    );
    expect(staging!.length).toBeGreaterThan(0);
    expect(
      staging!.every(
        f =>
          f.Resources![0].Tags!['innovate:environment'] ===
            'innovate-staging' && f.RecordState === 'ACTIVE',
      ),
    ).toBe(true);

    const { Findings: critical } = await securityHub.send(
      new GetFindingsCommand({
        Filters: {
          SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
          ProductName: [{ Value: 'Security Hub', Comparison: 'EQUALS' }],
        },
      }),
    );
    expect(critical!.length).toBeGreaterThan(0);
    expect(
      critical!.every(
        f =>
          f.Severity!.Label === 'CRITICAL' && f.ProductName === 'Security Hub',
      ),
    ).toBe(true);
  });

  it('keeps GuardDuty and Inspector consistent with Security Hub', async () => {
    const securityHub = await factory.getClient(SecurityHubClient, dev);
    const count = async (product: string) =>
      (
        await securityHub.send(
          new GetFindingsCommand({
            Filters: {
              ProductName: [{ Value: product, Comparison: 'EQUALS' }],
            },
          }),
        )
      ).Findings!.length;

    const guardDuty = await factory.getClient(GuardDutyClient, dev);
    const { DetectorIds } = await guardDuty.send(new ListDetectorsCommand({}));
    const { FindingIds } = await guardDuty.send(
      new ListGuardDutyFindingsCommand({
        DetectorId: DetectorIds![0],
        MaxResults: 50,
      }),
    );
    expect(FindingIds).toHaveLength(await count('GuardDuty'));
    const { Findings } = await guardDuty.send(
      new GetGuardDutyFindingsCommand({
        DetectorId: DetectorIds![0],
        FindingIds,
      }),
    );
    expect(
      Findings!.every(
        f => f.Severity! >= 1 && f.Type && f.Resource?.ResourceType,
      ),
    ).toBe(true);
    const high = await guardDuty.send(
      new ListGuardDutyFindingsCommand({
        DetectorId: DetectorIds![0],
        FindingCriteria: { Criterion: { severity: { Gte: 7 } } },
      }),
    );
    expect(high.FindingIds!.length).toBeLessThan(FindingIds!.length);

    const inspector = await factory.getClient(Inspector2Client, dev);
    const { findings } = await inspector.send(
      new ListInspectorFindingsCommand({ maxResults: 100 }),
    );
    expect(findings).toHaveLength(await count('Inspector'));
    expect(findings![0].packageVulnerabilityDetails?.vulnerabilityId).toMatch(
      /^CVE-/,
    );
  });

  it('answers STS and the tagging API for the environments', async () => {
    const sts = await factory.getClient(STSClient, prod);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(
      '333333333333',
    );

    const tagging = await factory.getClient(
      ResourceGroupsTaggingAPIClient,
      prod,
    );
    const { ResourceTagMappingList } = await tagging.send(
      new GetResourcesCommand({
        TagFilters: [
          { Key: 'innovate:environment', Values: ['innovate-prod'] },
        ],
        ResourceTypeFilters: ['cloudformation:stack'],
      }),
    );
    expect(ResourceTagMappingList).toHaveLength(6);
  });

  it('counts requests per service and command', async () => {
    const counted = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
    });
    const cfn = await counted.getClient(CloudFormationClient, dev);
    await cfn.send(new DescribeStacksCommand({}));
    await cfn.send(new DescribeStacksCommand({}));
    await (
      await counted.getClient(EKSClient, dev)
    ).send(new ListClustersCommand({}));
    expect(counted.getRequestCounts()).toEqual({
      cloudformation: { DescribeStacks: 2 },
      eks: { ListClusters: 1 },
    });
    counted.resetRequestCounts();
    expect(counted.getRequestCounts()).toEqual({});
  });

  it('fails loudly for a command it does not simulate and refuses accounts outside the allowlist', async () => {
    const pricing = await factory.getClient(PricingClient, {
      accountId: '111111111111',
      region: 'eu-central-1',
    });
    await expect(
      pricing.send(new DescribeServicesCommand({ ServiceCode: 'AmazonEC2' })),
    ).rejects.toThrow(/does not support pricing DescribeServices/);
    await expect(
      factory.getClient(CloudFormationClient, {
        accountId: '444444444444',
        region: 'eu-central-1',
      }),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('scales to extra environments for benchmarks', async () => {
    const scaled = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      now: () => NOW,
      extraEnvironments: 4,
    });
    await scaled.organization.whenReady();
    const names = scaled.organization.listEnvironments().map(e => e.name);
    expect(names).toHaveLength(7);
    expect(names).toEqual(
      expect.arrayContaining(['sim-env-0001', 'sim-env-0004']),
    );
  });
});
