import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  Stack,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { snapshotAwsVersions } from '@internal/plugin-aws-environments-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  awsError,
  environmentTarget,
  fakeAwsClientFactory,
} from '../../__testUtils__/fixtures';
import {
  collectHealth,
  collectHealthAndStacks,
  judgeHealth,
  lifecycleSummary,
} from './health';

const cfn = mockClient(CloudFormationClient);
const eks = mockClient(EKSClient);
const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);

const env = environmentTarget({ name: 'innovate-dev' });
const factory = fakeAwsClientFactory();

function stack(name: string, overrides: Partial<Stack> = {}): Stack {
  return {
    StackName: name,
    StackId: `arn:aws:cloudformation:eu-central-1:222222222222:stack/${name}/1`,
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date('2026-11-01T10:00:00Z'),
    DriftInformation: { StackDriftStatus: 'IN_SYNC' },
    Tags: [
      { Key: 'innovate:layer', Value: name.replace('innovate-dev-', '') },
      { Key: 'innovate:template-version', Value: '1.0.0' },
    ],
    ...overrides,
  };
}

function givenStacks(
  overrides: Record<string, Partial<Stack> | 'missing'> = {},
) {
  for (const name of env.stacks) {
    const override = overrides[name];
    if (override === 'missing') {
      cfn
        .on(DescribeStacksCommand, { StackName: name })
        .rejects(
          awsError('ValidationError', `Stack with id ${name} does not exist`),
        );
    } else {
      const extra: Partial<Stack> =
        name === 'innovate-dev-compute'
          ? {
              Outputs: [
                { OutputKey: 'ClusterName', OutputValue: 'innovate-dev-eks' },
              ],
            }
          : {};
      cfn
        .on(DescribeStacksCommand, { StackName: name })
        .resolves({ Stacks: [stack(name, { ...extra, ...override })] });
    }
  }
}

beforeEach(() => {
  cfn.reset();
  eks.reset();
  rds.reset();
  cloudwatch.reset();
  givenStacks();
  cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
  cfn
    .on(DescribeStackResourcesCommand, { StackName: 'innovate-dev-data' })
    .resolves({
      StackResources: [
        {
          LogicalResourceId: 'Database',
          PhysicalResourceId: 'innovate-dev-db',
          ResourceType: 'AWS::RDS::DBInstance',
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: new Date(),
        },
      ],
    });
  cfn
    .on(DescribeStackResourcesCommand, {
      StackName: 'innovate-dev-observability',
    })
    .resolves({
      StackResources: [
        {
          LogicalResourceId: 'LatencyAlarm',
          PhysicalResourceId: 'api-latency-high',
          ResourceType: 'AWS::CloudWatch::Alarm',
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: new Date(),
        },
      ],
    });
  eks.on(DescribeClusterCommand, { name: 'innovate-dev-eks' }).resolves({
    cluster: { name: 'innovate-dev-eks', status: 'ACTIVE', version: '1.35' },
  });
  eks
    .on(ListNodegroupsCommand)
    .resolves({ nodegroups: ['frontend', 'backend'] });
  eks.on(DescribeNodegroupCommand).callsFake(input => ({
    nodegroup: {
      nodegroupName: input.nodegroupName,
      status: 'ACTIVE',
      capacityType: 'ON_DEMAND',
      scalingConfig: { desiredSize: 2 },
      instanceTypes: ['t3.large'],
    },
  }));
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'innovate-dev-db' })
    .resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'innovate-dev-db',
          DBInstanceStatus: 'available',
          Engine: 'postgres',
          MultiAZ: true,
          StorageEncrypted: true,
          BackupRetentionPeriod: 7,
          DBInstanceClass: 'db.t4g.medium',
        },
      ],
    });
  cloudwatch
    .on(DescribeAlarmsCommand, { AlarmNamePrefix: 'innovate-dev-' }, false)
    .resolves({
      MetricAlarms: [
        {
          AlarmName: 'innovate-dev-5xx',
          StateValue: 'OK',
          MetricName: 'HTTPCode_Target_5XX_Count',
        },
      ],
    });
  cloudwatch
    .on(DescribeAlarmsCommand, { AlarmNames: ['api-latency-high'] })
    .resolves({
      MetricAlarms: [{ AlarmName: 'api-latency-high', StateValue: 'OK' }],
    });
});

describe('collectHealth', () => {
  it('reports a fully working environment as healthy with every part', async () => {
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe('healthy');
    expect(health.reasons).toEqual([]);
    expect(
      health.stacks.map(s => [s.stackName, s.layer, s.status, s.driftStatus]),
    ).toEqual(
      env.stacks.map(name => [
        name,
        name.replace('innovate-dev-', ''),
        'CREATE_COMPLETE',
        'IN_SYNC',
      ]),
    );
    expect(health.stacks[0].templateVersion).toBe('1.0.0');
    expect(health.eks).toEqual({
      clusterName: 'innovate-dev-eks',
      status: 'ACTIVE',
      version: '1.35',
      nodegroups: [
        {
          name: 'frontend',
          status: 'ACTIVE',
          capacityType: 'ON_DEMAND',
          desiredSize: 2,
          instanceTypes: ['t3.large'],
        },
        {
          name: 'backend',
          status: 'ACTIVE',
          capacityType: 'ON_DEMAND',
          desiredSize: 2,
          instanceTypes: ['t3.large'],
        },
      ],
    });
    expect(health.databases).toEqual([
      {
        identifier: 'innovate-dev-db',
        engine: 'postgres',
        status: 'available',
        multiAz: true,
        storageEncrypted: true,
        backupRetentionDays: 7,
        instanceClass: 'db.t4g.medium',
      },
    ]);
    expect(health.alarms.map(a => a.name)).toEqual([
      'api-latency-high',
      'innovate-dev-5xx',
    ]);
  });

  it('finds the cluster through the compute stack resources when there is no ClusterName output', async () => {
    givenStacks({ 'innovate-dev-compute': { Outputs: [] } });
    cfn
      .on(DescribeStackResourcesCommand, { StackName: 'innovate-dev-compute' })
      .resolves({
        StackResources: [
          {
            LogicalResourceId: 'Cluster',
            PhysicalResourceId: 'innovate-dev-eks',
            ResourceType: 'AWS::EKS::Cluster',
            ResourceStatus: 'CREATE_COMPLETE',
            Timestamp: new Date(),
          },
        ],
      });
    const health = await collectHealth(factory, env);
    expect(health.eks?.clusterName).toBe('innovate-dev-eks');
    expect(eks).toHaveReceivedCommandWith(DescribeClusterCommand, {
      name: 'innovate-dev-eks',
    });
  });

  it.each<[string, Partial<Stack>, string, string]>([
    [
      'a failed update rolled back',
      { StackStatus: StackStatus.UPDATE_ROLLBACK_COMPLETE },
      'degraded',
      'Last update of stack innovate-dev-data was rolled back',
    ],
    [
      'a failed creation',
      {
        StackStatus: StackStatus.CREATE_FAILED,
        StackStatusReason: 'Resource creation cancelled',
      },
      'down',
      'Stack innovate-dev-data is CREATE_FAILED: Resource creation cancelled',
    ],
    [
      'a creation rolled back',
      { StackStatus: StackStatus.ROLLBACK_COMPLETE },
      'down',
      'Stack innovate-dev-data is ROLLBACK_COMPLETE',
    ],
    [
      'a failed rollback',
      { StackStatus: StackStatus.UPDATE_ROLLBACK_FAILED },
      'down',
      'Stack innovate-dev-data is UPDATE_ROLLBACK_FAILED',
    ],
    [
      'drift',
      { DriftInformation: { StackDriftStatus: 'DRIFTED' } },
      'degraded',
      'Stack innovate-dev-data has drifted from its template',
    ],
    [
      'an update in progress',
      { StackStatus: StackStatus.UPDATE_IN_PROGRESS },
      'degraded',
      'Stack innovate-dev-data is UPDATE_IN_PROGRESS',
    ],
  ])('judges %s of a stack', async (_, override, verdict, reason) => {
    givenStacks({ 'innovate-dev-data': override });
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe(verdict);
    expect(health.reasons).toContain(reason);
  });

  it('reports a missing stack as down', async () => {
    givenStacks({ 'innovate-dev-edge': 'missing' });
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe('down');
    expect(health.reasons).toContain('Stack innovate-dev-edge does not exist');
    expect(
      health.stacks.find(s => s.stackName === 'innovate-dev-edge')?.status,
    ).toBe('NOT_FOUND');
  });

  it('reports a stopped database as down and an unavailable node group as degraded', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: 'innovate-dev-db',
          DBInstanceStatus: 'stopped',
          Engine: 'postgres',
        },
      ],
    });
    eks.on(DescribeNodegroupCommand, { nodegroupName: 'backend' }).resolves({
      nodegroup: { nodegroupName: 'backend', status: 'DEGRADED' },
    });
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe('down');
    expect(health.reasons).toEqual([
      'Database innovate-dev-db is stopped',
      'Node group backend is DEGRADED',
    ]);
  });

  it('reports a cluster that no longer exists as down', async () => {
    eks
      .on(DescribeClusterCommand)
      .rejects(awsError('ResourceNotFoundException', 'No cluster found'));
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe('down');
    expect(health.reasons).toContain(
      'EKS cluster innovate-dev-eks does not exist',
    );
  });

  it('reports an alarm in ALARM as degraded, with its reason', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand, { AlarmNames: ['api-latency-high'] })
      .resolves({
        MetricAlarms: [
          {
            AlarmName: 'api-latency-high',
            StateValue: 'ALARM',
            StateReason: 'p95 above 2 s',
          },
        ],
      });
    const health = await collectHealth(factory, env);
    expect(health.verdict).toBe('degraded');
    expect(health.reasons).toEqual([
      'Alarm api-latency-high is in ALARM: p95 above 2 s',
    ]);
  });

  it('fails as a whole when AWS refuses, so that the last good report is kept', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'not authorized to perform cloudformation:DescribeStacks',
        ),
      );
    await expect(collectHealth(factory, env)).rejects.toThrow('DescribeStacks');
  });

  it('starts drift detection of stacks not checked for a day, and only those', async () => {
    const now = new Date('2026-11-20T12:00:00Z');
    givenStacks({
      'innovate-dev-network': {
        DriftInformation: {
          StackDriftStatus: 'IN_SYNC',
          LastCheckTimestamp: new Date('2026-11-20T01:00:00Z'),
        },
      },
      'innovate-dev-security': {
        DriftInformation: {
          StackDriftStatus: 'DRIFTED',
          LastCheckTimestamp: new Date('2026-11-19T11:00:00Z'),
        },
      },
      'innovate-dev-edge': { StackStatus: StackStatus.UPDATE_IN_PROGRESS },
    });
    cfn
      .on(DetectStackDriftCommand, { StackName: 'innovate-dev-data' })
      .rejects(awsError('AccessDenied', 'no'));
    const health = await collectHealth(factory, env, now);
    const detected = cfn
      .commandCalls(DetectStackDriftCommand)
      .map(c => c.args[0].input.StackName);
    expect(detected.sort()).toEqual([
      'innovate-dev-compute',
      'innovate-dev-data',
      'innovate-dev-observability',
      'innovate-dev-security',
    ]);
    // A refused detection does not fail the health report.
    expect(health.reasons).toContain(
      'Stack innovate-dev-security has drifted from its template',
    );
  });

  it('refuses an account outside the allowlist before calling AWS', async () => {
    const stranger = environmentTarget({
      name: 'innovate-x',
      accountId: '999999999999',
    });
    await expect(collectHealth(factory, stranger)).rejects.toThrow(
      'not allowed',
    );
    expect(cfn).not.toHaveReceivedCommand(DescribeStacksCommand);
  });
});

describe('collectHealthAndStacks', () => {
  /** `count` events of the stack, newest first, as one page; a full page of 100 says more follow. */
  function givenEvents(count: number) {
    cfn.on(DescribeStackEventsCommand).callsFake(input => ({
      StackEvents: Array.from({ length: count }, (_, i) => ({
        StackId: `arn:${input.StackName}`,
        StackName: input.StackName,
        EventId: `e${i}`,
        LogicalResourceId: i === 0 ? input.StackName : `Resource${i}`,
        ResourceType:
          i === 0 ? 'AWS::CloudFormation::Stack' : 'AWS::SNS::Topic',
        ResourceStatus: 'CREATE_COMPLETE',
        Timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, 100 - i)),
      })),
      NextToken: count >= 100 ? 'more' : undefined,
    }));
  }

  beforeEach(() => {
    givenEvents(2);
    cfn
      .on(DescribeStackResourcesCommand, { StackName: 'innovate-dev-network' })
      .resolves({
        StackResources: [
          {
            LogicalResourceId: 'Vpc',
            PhysicalResourceId: 'vpc-0abc',
            ResourceType: 'AWS::EC2::VPC',
            ResourceStatus: 'CREATE_COMPLETE',
            Timestamp: new Date(),
            DriftInformation: { StackResourceDriftStatus: 'MODIFIED' },
          },
        ],
      });
    givenStacks({
      'innovate-dev-network': {
        Description: 'Network of innovate-dev',
        Outputs: [
          {
            OutputKey: 'VpcId',
            OutputValue: 'vpc-0abc',
            Description: 'The VPC',
            ExportName: 'innovate-dev-network-VpcId',
          },
        ],
        DriftInformation: {
          StackDriftStatus: 'DRIFTED',
          LastCheckTimestamp: new Date('2026-11-20T06:00:00Z'),
        },
      },
    });
  });

  it('collects resources, outputs, drift and recent events of every stack along with the health', async () => {
    const { health, stacks } = await collectHealthAndStacks(factory, env);
    expect(health.reasons).toEqual([
      'Stack innovate-dev-network has drifted from its template',
    ]);
    if (!('details' in stacks)) {
      throw stacks.error;
    }
    expect(stacks.details.map(s => s.stackName)).toEqual(env.stacks);
    expect(stacks.details[0]).toEqual({
      stackName: 'innovate-dev-network',
      stackId:
        'arn:aws:cloudformation:eu-central-1:222222222222:stack/innovate-dev-network/1',
      layer: 'network',
      status: 'CREATE_COMPLETE',
      statusReason: undefined,
      description: 'Network of innovate-dev',
      driftStatus: 'DRIFTED',
      driftCheckedAt: '2026-11-20T06:00:00.000Z',
      createdAt: '2026-11-01T10:00:00.000Z',
      lastUpdated: '2026-11-01T10:00:00.000Z',
      templateVersion: '1.0.0',
      resources: [
        {
          logicalId: 'Vpc',
          physicalId: 'vpc-0abc',
          type: 'AWS::EC2::VPC',
          status: 'CREATE_COMPLETE',
          statusReason: undefined,
          driftStatus: 'MODIFIED',
        },
      ],
      outputs: [
        {
          key: 'VpcId',
          value: 'vpc-0abc',
          description: 'The VPC',
          exportName: 'innovate-dev-network-VpcId',
        },
      ],
      events: [
        {
          timestamp: '2026-11-20T10:01:40.000Z',
          logicalId: 'innovate-dev-network',
          resourceType: 'AWS::CloudFormation::Stack',
          status: 'CREATE_COMPLETE',
          reason: undefined,
        },
        expect.objectContaining({ logicalId: 'Resource1' }),
      ],
    });
    expect(cfn).toHaveReceivedCommandTimes(DescribeStackResourcesCommand, 6);
    expect(cfn).toHaveReceivedCommandTimes(DescribeStackEventsCommand, 6);
  });

  it('keeps the 25 most recent events from the first page of each stack', async () => {
    givenEvents(100);
    const { stacks } = await collectHealthAndStacks(factory, env);
    const details = 'details' in stacks ? stacks.details : [];
    expect(details[0].events).toHaveLength(25);
    expect(details[0].events[0].logicalId).toBe('innovate-dev-network');
    // One page per stack although every page says more events follow.
    expect(cfn).toHaveReceivedCommandTimes(DescribeStackEventsCommand, 6);
  });

  it('does not read resources and events of unchanged stacks again, only what health needs', async () => {
    const first = await collectHealthAndStacks(factory, env);
    const previousStacks =
      'details' in first.stacks ? first.stacks.details : [];
    cfn.resetHistory();

    const second = await collectHealthAndStacks(factory, env, new Date(), {
      previousStacks,
    });
    expect(second.stacks).toEqual({ details: previousStacks });
    expect(cfn).not.toHaveReceivedCommand(DescribeStackEventsCommand);
    const read = cfn
      .commandCalls(DescribeStackResourcesCommand)
      .map(c => c.args[0].input.StackName)
      .sort();
    expect(read).toEqual([
      'innovate-dev-compute',
      'innovate-dev-data',
      'innovate-dev-observability',
    ]);
  });

  it('reads a stack again once it was updated or is busy, and only its resources once its drift was checked', async () => {
    const first = await collectHealthAndStacks(factory, env);
    const previousStacks =
      'details' in first.stacks ? first.stacks.details : [];
    givenStacks({
      'innovate-dev-network': {
        LastUpdatedTime: new Date('2026-11-20T11:00:00Z'),
      },
      'innovate-dev-security': { StackStatus: StackStatus.UPDATE_IN_PROGRESS },
      'innovate-dev-edge': {
        DriftInformation: {
          StackDriftStatus: 'IN_SYNC',
          LastCheckTimestamp: new Date('2026-11-20T11:30:00Z'),
        },
      },
    });
    cfn.resetHistory();
    const second = await collectHealthAndStacks(factory, env, new Date(), {
      previousStacks,
    });
    const readOf = (command: any) =>
      cfn
        .commandCalls(command)
        .map(c => (c.args[0].input as { StackName?: string }).StackName)
        .sort();
    // A drift detection adds no events.
    expect(readOf(DescribeStackEventsCommand)).toEqual([
      'innovate-dev-network',
      'innovate-dev-security',
    ]);
    expect(readOf(DescribeStackResourcesCommand)).toEqual([
      'innovate-dev-compute',
      'innovate-dev-data',
      'innovate-dev-edge',
      'innovate-dev-network',
      'innovate-dev-observability',
      'innovate-dev-security',
    ]);
    const edge =
      'details' in second.stacks
        ? second.stacks.details.find(s => s.stackName === 'innovate-dev-edge')
        : undefined;
    expect(edge?.driftCheckedAt).toBe('2026-11-20T11:30:00.000Z');
    expect(edge?.events).toEqual(
      previousStacks.find(s => s.stackName === 'innovate-dev-edge')?.events,
    );
  });

  it('lists a missing stack without details and without asking for them', async () => {
    givenStacks({ 'innovate-dev-edge': 'missing' });
    const { stacks } = await collectHealthAndStacks(factory, env);
    const edge =
      'details' in stacks
        ? stacks.details.find(s => s.stackName === 'innovate-dev-edge')
        : undefined;
    expect(edge).toEqual({
      stackName: 'innovate-dev-edge',
      layer: 'edge',
      status: 'NOT_FOUND',
      resources: [],
      outputs: [],
      events: [],
    });
    expect(cfn).not.toHaveReceivedCommandWith(DescribeStackEventsCommand, {
      StackName: 'innovate-dev-edge',
    });
  });

  it('reports stack details it cannot read as an error of their own, with the health intact', async () => {
    cfn
      .on(DescribeStackEventsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'not authorized to perform: cloudformation:DescribeStackEvents',
        ),
      );
    const { health, stacks } = await collectHealthAndStacks(factory, env);
    expect(health.stacks).toHaveLength(6);
    expect(health.eks?.clusterName).toBe('innovate-dev-eks');
    expect('error' in stacks && String(stacks.error)).toMatch(
      'DescribeStackEvents',
    );
  });

  it('still fails as a whole when a resource read that health needs fails', async () => {
    cfn
      .on(DescribeStackResourcesCommand, { StackName: 'innovate-dev-data' })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(collectHealthAndStacks(factory, env)).rejects.toThrow(
      'Rate exceeded',
    );
  });
});

describe('judgeHealth', () => {
  it('knows nothing about an environment without stacks, cluster or database', () => {
    expect(judgeHealth({ stacks: [], databases: [], alarms: [] }).verdict).toBe(
      'unknown',
    );
  });
});

describe('lifecycle of the cluster and databases', () => {
  const NOW = new Date('2026-12-03T12:00:00Z');
  const snapshot = (now: Date) => ({
    versionsFor: async (target: { accountId: string; region: string }) =>
      snapshotAwsVersions(target, { now }),
  });

  function givenVersions(kubernetes: string, postgres: string) {
    eks.on(DescribeClusterCommand, { name: 'innovate-dev-eks' }).resolves({
      cluster: {
        name: 'innovate-dev-eks',
        status: 'ACTIVE',
        version: kubernetes,
      },
    });
    rds
      .on(DescribeDBInstancesCommand, {
        DBInstanceIdentifier: 'innovate-dev-db',
      })
      .resolves({
        DBInstances: [
          {
            DBInstanceIdentifier: 'innovate-dev-db',
            DBInstanceStatus: 'available',
            Engine: 'postgres',
            EngineVersion: postgres,
            MultiAZ: true,
            StorageEncrypted: true,
            BackupRetentionPeriod: 7,
            DBInstanceClass: 'db.t4g.medium',
          },
        ],
      });
  }

  it('dates each version from what AWS offers, without changing the verdict of a cluster in extended support', async () => {
    givenVersions('1.33', '17.7');

    const health = await collectHealth(factory, env, NOW, {
      versions: snapshot(NOW),
    });

    expect(health.verdict).toBe('healthy');
    expect(health.reasons).toEqual([]);
    expect(health.databases[0].engineVersion).toBe('17.7');
    expect(health.lifecycle).toEqual({
      worst: 'extended',
      daysLeft: 237,
      extendedSupportMonthly: 365,
      components: [
        expect.objectContaining({
          kind: 'kubernetes',
          resource: 'innovate-dev-eks',
          version: '1.33',
          phase: 'extended',
          endOfExtendedSupport: '2027-07-29',
          daysLeft: 237,
          extendedSupportMonthly: 365,
          nextVersion: '1.34',
        }),
        expect.objectContaining({
          kind: 'database',
          resource: 'innovate-dev-db',
          engine: 'postgres',
          version: '17.7',
          phase: 'standard',
          endOfStandardSupport: '2030-02-28',
          nextVersion: '18.1',
        }),
      ],
    });
    expect(lifecycleSummary(health.lifecycle!)).toEqual({
      worst: 'extended',
      daysLeft: 237,
      extendedSupportMonthly: 365,
      summary:
        'Kubernetes 1.33: In extended support (+$365/month); support ends on 2027-07-29, in 237 days',
    });
  });

  it('adds a reason, not a worse verdict, when fewer than 90 days of support remain', async () => {
    givenVersions('1.32', '14.20');
    const later = new Date('2027-01-15T12:00:00Z');

    const health = await collectHealth(factory, env, later, {
      versions: snapshot(later),
    });

    expect(health.verdict).toBe('healthy');
    expect(health.reasons).toEqual([
      'Kubernetes 1.32 of cluster innovate-dev-eks reaches the end of extended support on 2027-03-23, in 66 days; EKS then upgrades the control plane to 1.33 automatically',
      'PostgreSQL 14.20 of database innovate-dev-db leaves RDS standard support on 2027-02-28, in 43 days; RDS Extended Support is then charged per vCPU-hour',
    ]);
  });

  it('says a cluster past the end of support is upgraded by EKS, and keeps the verdict of its other parts', async () => {
    givenVersions('1.31', '17.7');
    cloudwatch
      .on(DescribeAlarmsCommand, { AlarmNames: ['api-latency-high'] })
      .resolves({
        MetricAlarms: [{ AlarmName: 'api-latency-high', StateValue: 'ALARM' }],
      });

    const health = await collectHealth(factory, env, NOW, {
      versions: snapshot(NOW),
    });

    expect(health.verdict).toBe('degraded');
    expect(health.reasons).toEqual([
      'Alarm api-latency-high is in ALARM',
      'Kubernetes 1.31 of cluster innovate-dev-eks is past the end of EKS support; EKS upgrades the control plane to 1.32 automatically',
    ]);
    expect(health.lifecycle?.worst).toBe('unsupported');
  });

  it('dates an Aurora cluster once, not each of its instances', async () => {
    givenVersions('1.35', '17.7');
    cfn
      .on(DescribeStackResourcesCommand, { StackName: 'innovate-dev-data' })
      .resolves({
        StackResources: [
          {
            LogicalResourceId: 'AuroraCluster',
            PhysicalResourceId: 'innovate-dev',
            ResourceType: 'AWS::RDS::DBCluster',
            ResourceStatus: 'CREATE_COMPLETE',
            Timestamp: new Date(),
          },
          {
            LogicalResourceId: 'AuroraWriter',
            PhysicalResourceId: 'innovate-dev-db',
            ResourceType: 'AWS::RDS::DBInstance',
            ResourceStatus: 'CREATE_COMPLETE',
            Timestamp: new Date(),
          },
        ],
      });
    rds
      .on(DescribeDBInstancesCommand, {
        DBInstanceIdentifier: 'innovate-dev-db',
      })
      .resolves({
        DBInstances: [
          {
            DBInstanceIdentifier: 'innovate-dev-db',
            DBInstanceStatus: 'available',
            Engine: 'aurora-postgresql',
            EngineVersion: '17.6',
            DBClusterIdentifier: 'innovate-dev',
          },
        ],
      });
    rds
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'innovate-dev' })
      .resolves({
        DBClusters: [
          {
            DBClusterIdentifier: 'innovate-dev',
            Status: 'available',
            Engine: 'aurora-postgresql',
            EngineVersion: '17.6',
          },
        ],
      });

    const health = await collectHealth(factory, env, NOW, {
      versions: snapshot(NOW),
    });

    expect(
      health.lifecycle?.components.map(c => [c.kind, c.resource, c.version]),
    ).toEqual([
      ['kubernetes', 'innovate-dev-eks', '1.35'],
      ['database', 'innovate-dev', '17.6'],
    ]);
    expect(health.lifecycle?.components[1].nextVersion).toBe('17.7');
  });

  it('collects the health without a lifecycle when the versions cannot be found', async () => {
    givenVersions('1.35', '17.7');

    const health = await collectHealth(factory, env, NOW, {
      versions: {
        versionsFor: async () => {
          throw new Error('database is locked');
        },
      },
    });

    expect(health.verdict).toBe('healthy');
    expect(health.lifecycle).toBeUndefined();
  });
});
