import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBMajorEngineVersionsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { createSimulatedAwsClientFactory } from './factory';
import type { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const dev = { accountId: '222222222222', region: 'eu-central-1' };

let factory: SimulatedAwsClientFactory;

beforeAll(async () => {
  factory = createSimulatedAwsClientFactory({
    seedEnvironments: false,
    now: () => NOW,
    timeScale: 0.001,
  });
  await factory.organization.whenReady();
});

describe('simulated EKS DescribeClusterVersions', () => {
  it('lists the versions EKS creates clusters on, with their status on the organization clock', async () => {
    const eks = await factory.getClient(EKSClient, dev);
    const { clusterVersions } = await eks.send(
      new DescribeClusterVersionsCommand({}),
    );
    expect(
      clusterVersions!.map(v => [v.clusterVersion, v.versionStatus]),
    ).toEqual([
      ['1.35', 'STANDARD_SUPPORT'],
      ['1.34', 'EXTENDED_SUPPORT'],
      ['1.33', 'EXTENDED_SUPPORT'],
      ['1.32', 'EXTENDED_SUPPORT'],
    ]);
    expect(clusterVersions![0]).toMatchObject({
      defaultVersion: true,
      endOfStandardSupportDate: new Date('2027-03-27T00:00:00Z'),
      endOfExtendedSupportDate: new Date('2028-03-27T00:00:00Z'),
    });
  });

  it('adds the unsupported versions with includeAll and filters by status', async () => {
    const eks = await factory.getClient(EKSClient, dev);
    const all = await eks.send(
      new DescribeClusterVersionsCommand({ includeAll: true }),
    );
    expect(all.clusterVersions!.map(v => v.clusterVersion)).toContain('1.31');
    const unsupported = await eks.send(
      new DescribeClusterVersionsCommand({
        includeAll: true,
        versionStatus: 'UNSUPPORTED',
      }),
    );
    expect(unsupported.clusterVersions!.map(v => v.clusterVersion)).toEqual([
      '1.31',
      '1.30',
      '1.29',
    ]);
    const one = await eks.send(
      new DescribeClusterVersionsCommand({ clusterVersions: ['1.33'] }),
    );
    expect(one.clusterVersions!.map(v => v.clusterVersion)).toEqual(['1.33']);
  });

  it('pages with maxResults and nextToken', async () => {
    const eks = await factory.getClient(EKSClient, dev);
    const first = await eks.send(
      new DescribeClusterVersionsCommand({ maxResults: 3 }),
    );
    expect(first.clusterVersions).toHaveLength(3);
    expect(first.nextToken).toBeDefined();
    const second = await eks.send(
      new DescribeClusterVersionsCommand({
        maxResults: 3,
        nextToken: first.nextToken,
      }),
    );
    expect(second.clusterVersions!.map(v => v.clusterVersion)).toEqual([
      '1.32',
    ]);
    expect(second.nextToken).toBeUndefined();
  });
});

describe('simulated RDS engine versions', () => {
  it('lists only the versions RDS creates, per engine', async () => {
    const rds = await factory.getClient(RDSClient, dev);
    const { DBEngineVersions } = await rds.send(
      new DescribeDBEngineVersionsCommand({ Engine: 'postgres' }),
    );
    expect(DBEngineVersions!.map(v => v.EngineVersion)).toEqual([
      '18.1',
      '17.7',
      '16.11',
      '15.15',
      '14.20',
    ]);
    expect(DBEngineVersions!.every(v => v.Status === 'available')).toBe(true);
    const aurora = await rds.send(
      new DescribeDBEngineVersionsCommand({ Engine: 'aurora-postgresql' }),
    );
    expect(aurora.DBEngineVersions!.map(v => v.EngineVersion)).toEqual([
      '17.7',
      '17.6',
    ]);
  });

  it('finds a retired version only with IncludeAll, and a major version by its number', async () => {
    const rds = await factory.getClient(RDSClient, dev);
    const hidden = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        EngineVersion: '16.6',
      }),
    );
    expect(hidden.DBEngineVersions).toEqual([]);
    const shown = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        EngineVersion: '16.6',
        IncludeAll: true,
      }),
    );
    expect(shown.DBEngineVersions).toEqual([
      expect.objectContaining({ EngineVersion: '16.6', Status: 'deprecated' }),
    ]);
    const major = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        EngineVersion: '17',
        DefaultOnly: true,
      }),
    );
    expect(major.DBEngineVersions!.map(v => v.EngineVersion)).toEqual(['17.7']);
  });

  it('lists upgrade targets within the major version and to newer ones', async () => {
    const rds = await factory.getClient(RDSClient, dev);
    const { DBEngineVersions } = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'aurora-postgresql',
        EngineVersion: '17.6',
      }),
    );
    expect(DBEngineVersions![0].ValidUpgradeTarget).toEqual([
      expect.objectContaining({
        EngineVersion: '17.7',
        IsMajorVersionUpgrade: false,
      }),
    ]);
    const older = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        EngineVersion: '16.11',
      }),
    );
    expect(
      older.DBEngineVersions![0].ValidUpgradeTarget!.map(t => [
        t.EngineVersion,
        t.IsMajorVersionUpgrade,
      ]),
    ).toEqual([
      ['17.7', true],
      ['18.1', true],
    ]);
  });

  it('pages with MaxRecords and Marker, and refuses a page size RDS refuses', async () => {
    const rds = await factory.getClient(RDSClient, dev);
    const first = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        IncludeAll: true,
        MaxRecords: 20,
      }),
    );
    expect(first.DBEngineVersions).toHaveLength(20);
    expect(first.Marker).toBeDefined();
    const second = await rds.send(
      new DescribeDBEngineVersionsCommand({
        Engine: 'postgres',
        IncludeAll: true,
        MaxRecords: 20,
        Marker: first.Marker,
      }),
    );
    expect(second.DBEngineVersions).toHaveLength(1);
    expect(second.Marker).toBeUndefined();
    await expect(
      rds.send(new DescribeDBEngineVersionsCommand({ MaxRecords: 5 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('gives each major version its standard and extended support end dates', async () => {
    const rds = await factory.getClient(RDSClient, dev);
    const { DBMajorEngineVersions } = await rds.send(
      new DescribeDBMajorEngineVersionsCommand({
        Engine: 'postgres',
        MajorEngineVersion: '14',
      }),
    );
    expect(DBMajorEngineVersions).toEqual([
      {
        Engine: 'postgres',
        MajorEngineVersion: '14',
        SupportedEngineLifecycles: [
          expect.objectContaining({
            LifecycleSupportName: 'open-source-rds-standard-support',
            LifecycleSupportEndDate: new Date('2027-02-28T00:00:00Z'),
          }),
          expect.objectContaining({
            LifecycleSupportName: 'open-source-rds-extended-support',
            LifecycleSupportEndDate: new Date('2030-02-28T00:00:00Z'),
          }),
        ],
      },
    ]);
  });
});

const CLUSTER_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Version:
    Type: String
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: versions-test
      Version: !Ref Version
      RoleArn: arn:aws:iam::222222222222:role/eks
      ResourcesVpcConfig:
        SubnetIds: [subnet-1, subnet-2]
`;

const DATABASE_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EngineVersion:
    Type: String
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: versions-test-db
      Engine: postgres
      EngineVersion: !Ref EngineVersion
      DBInstanceClass: db.t4g.medium
      AllocatedStorage: '20'
`;

async function settle(cfn: CloudFormationClient, stackName: string) {
  for (let i = 0; i < 200; i++) {
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const status = Stacks![0].StackStatus!;
    if (!status.endsWith('_IN_PROGRESS')) return status;
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  throw new Error(`${stackName} did not settle`);
}

async function failureReason(cfn: CloudFormationClient, stackName: string) {
  const { StackEvents } = await cfn.send(
    new DescribeStackEventsCommand({ StackName: stackName }),
  );
  return StackEvents!.find(e => e.ResourceStatus?.endsWith('_FAILED'))
    ?.ResourceStatusReason;
}

describe('creating on a version AWS does not offer', () => {
  // The simulated CloudFormation runs on the organization's clock; one that moves lets the steps come due.
  let live: SimulatedAwsClientFactory;
  const started = Date.now();
  let base = NOW;
  beforeAll(async () => {
    live = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      timeScale: 0.0001,
      now: () => base + (Date.now() - started),
    });
    await live.organization.whenReady();
  });

  it('fails an EKS cluster on an unsupported Kubernetes version as EKS does', async () => {
    const cfn = await live.getClient(CloudFormationClient, dev);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'versions-old-cluster',
        TemplateBody: CLUSTER_TEMPLATE,
        Parameters: [{ ParameterKey: 'Version', ParameterValue: '1.29' }],
      }),
    );
    expect(await settle(cfn, 'versions-old-cluster')).toBe('ROLLBACK_COMPLETE');
    const reason = await failureReason(cfn, 'versions-old-cluster');
    expect(reason).toContain('unsupported Kubernetes version 1.29');
    expect(reason).toContain('InvalidParameterException');
  });

  it('fails an RDS instance on a retired minor version with the message RDS gives', async () => {
    const cfn = await live.getClient(CloudFormationClient, dev);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'versions-old-db',
        TemplateBody: DATABASE_TEMPLATE,
        Parameters: [{ ParameterKey: 'EngineVersion', ParameterValue: '16.6' }],
      }),
    );
    expect(await settle(cfn, 'versions-old-db')).toBe('ROLLBACK_COMPLETE');
    const reason = await failureReason(cfn, 'versions-old-db');
    expect(reason).toContain('Cannot find version 16.6 for postgres');
    expect(reason).toContain('InvalidParameterCombination');
  });

  it('creates an RDS instance on a major version and reports the minor version RDS picked', async () => {
    const cfn = await live.getClient(CloudFormationClient, dev);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'versions-db',
        TemplateBody: DATABASE_TEMPLATE,
        Parameters: [{ ParameterKey: 'EngineVersion', ParameterValue: '17' }],
      }),
    );
    expect(await settle(cfn, 'versions-db')).toBe('CREATE_COMPLETE');
    const rds = await live.getClient(RDSClient, dev);
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({
        DBInstanceIdentifier: 'versions-test-db',
      }),
    );
    expect(DBInstances![0].EngineVersion).toBe('17.7');
  });

  it('lets an update keep a version EKS has since retired, but not move to another one', async () => {
    const cfn = await live.getClient(CloudFormationClient, dev);
    base = Date.parse('2026-11-20T12:00:00Z') - (Date.now() - started);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'versions-cluster',
        TemplateBody: CLUSTER_TEMPLATE,
        Parameters: [{ ParameterKey: 'Version', ParameterValue: '1.31' }],
      }),
    );
    expect(await settle(cfn, 'versions-cluster')).toBe('CREATE_COMPLETE');

    // 1.31 reached the end of extended support on 2026-11-26.
    base = NOW - (Date.now() - started);
    await cfn.send(
      new UpdateStackCommand({
        StackName: 'versions-cluster',
        TemplateBody: CLUSTER_TEMPLATE.replace(
          'Name: versions-test',
          'Name: versions-test\n      Tags: [{ Key: team, Value: web }]',
        ),
        Parameters: [{ ParameterKey: 'Version', UsePreviousValue: true }],
      }),
    );
    expect(await settle(cfn, 'versions-cluster')).toBe('UPDATE_COMPLETE');
    const eks = await live.getClient(EKSClient, dev);
    const { cluster } = await eks.send(
      new DescribeClusterCommand({ name: 'versions-test' }),
    );
    expect(cluster?.version).toBe('1.31');

    await cfn.send(
      new UpdateStackCommand({
        StackName: 'versions-cluster',
        TemplateBody: CLUSTER_TEMPLATE,
        Parameters: [{ ParameterKey: 'Version', ParameterValue: '1.30' }],
      }),
    );
    expect(await settle(cfn, 'versions-cluster')).toBe(
      'UPDATE_ROLLBACK_COMPLETE',
    );
    expect(await failureReason(cfn, 'versions-cluster')).toContain(
      'unsupported Kubernetes version 1.30',
    );
  });
});
