/**
 * One environment (`innovate-dev` in account 222222222222, eu-central-1) as AWS would describe it on the wire, and
 * the real-mode factory that reaches it: credentials from the `aws` config (the dev account's role assumed through
 * `awsEnvironments.endpoints.sts`), every service's endpoint on the loopback server. Names, ids, amounts and dates
 * are made up; the shapes are those of the AWS API references named by each handler.
 */
import { ConfigReader } from '@backstage/config';
import { DefaultAwsClientFactory } from '@internal/plugin-aws-environments-node';
import {
  type AwsWire,
  type XmlElements,
  XMLNS,
  awsJson,
  epochSeconds,
  members,
  queryError,
  queryResult,
  restJson,
} from '@internal/plugin-aws-environments-node/testUtils';

export const DEV_ACCOUNT = '222222222222';
export const REGION = 'eu-central-1';
export const NOW = new Date('2026-12-03T06:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600_000);

/** The portal's own keys: the example key pair of the AWS documentation. */
export const MAIN_KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const SESSION = {
  accessKeyId: `ASIA${DEV_ACCOUNT}EXAMPLE`,
  secretAccessKey: `session-secret-${DEV_ACCOUNT}`,
  sessionToken: `session-token-${DEV_ACCOUNT}`,
};
export const ROLE_ARN = `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`;

/** Keys of `awsEnvironments.endpoints`: the client class names in lower case without `Client`. */
const SERVICE_KEYS = [
  'budgets',
  'cloudformation',
  'cloudwatch',
  'costexplorer',
  'eks',
  'guardduty',
  'inspector2',
  'rds',
  'securityhub',
  'sts',
];

/** The factory a backend builds from its config in real mode, with every endpoint on the server. */
export function realModeFactory(wire: AwsWire): DefaultAwsClientFactory {
  return DefaultAwsClientFactory.fromConfig(
    new ConfigReader({
      aws: {
        mainAccount: MAIN_KEYS,
        accounts: [
          {
            accountId: DEV_ACCOUNT,
            roleName: 'innovate-portal',
            externalId: 'innovate-external-id',
          },
        ],
      },
      awsEnvironments: {
        mode: 'aws',
        accounts: [
          {
            accountId: DEV_ACCOUNT,
            name: 'innovate-dev',
            stage: 'dev',
            regions: [REGION],
          },
        ],
        endpoints: Object.fromEntries(SERVICE_KEYS.map(key => [key, wire.url])),
      },
    }),
  );
}

/** https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export function answerAssumeRole(wire: AwsWire): void {
  wire.on('sts', 'AssumeRole', () =>
    queryResult(XMLNS.sts, 'AssumeRole', {
      Credentials: {
        AccessKeyId: SESSION.accessKeyId,
        SecretAccessKey: SESSION.secretAccessKey,
        SessionToken: SESSION.sessionToken,
        Expiration: new Date(Date.now() + 3600_000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${DEV_ACCOUNT}EXAMPLE:backstage`,
        Arn: `arn:aws:sts::${DEV_ACCOUNT}:assumed-role/innovate-portal/backstage`,
      },
    }),
  );
}

const stackId = (name: string) =>
  `arn:aws:cloudformation:${REGION}:${DEV_ACCOUNT}:stack/${name}/7c4e0d2a-0000-4000-8000-000000000001`;

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html */
function stack(layer: string, extra: XmlElements = {}): XmlElements {
  const name = `innovate-dev-${layer}`;
  return {
    StackId: stackId(name),
    StackName: name,
    Description: `innovate-dev ${layer} layer`,
    CreationTime: new Date('2026-10-01T09:00:00Z'),
    StackStatus: 'CREATE_COMPLETE',
    Tags: [
      { Key: 'innovate:environment', Value: 'innovate-dev' },
      { Key: 'innovate:layer', Value: layer },
      { Key: 'innovate:template-version', Value: '1.4.0' },
    ],
    DriftInformation: {
      StackDriftStatus: 'IN_SYNC',
      LastCheckTimestamp: hoursAgo(2),
    },
    ...extra,
  };
}

const STACKS: Record<string, XmlElements> = {
  'innovate-dev-network': stack('network', {
    Outputs: [
      { OutputKey: 'VpcCidr', OutputValue: '10.20.0.0/16' },
      { OutputKey: 'VpcId', OutputValue: 'vpc-0a1b2c3d4e5f60001' },
    ],
  }),
  'innovate-dev-security': stack('security', {
    StackStatus: 'UPDATE_COMPLETE',
    LastUpdatedTime: new Date('2026-11-28T14:00:00Z'),
    DriftInformation: {
      StackDriftStatus: 'DRIFTED',
      LastCheckTimestamp: hoursAgo(2),
    },
  }),
  // Never checked for drift: the health run starts a detection.
  'innovate-dev-observability': stack('observability', {
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  }),
  'innovate-dev-data': stack('data'),
  // Checked two days ago: due again.
  'innovate-dev-compute': stack('compute', {
    Outputs: [{ OutputKey: 'ClusterName', OutputValue: 'innovate-dev-eks' }],
    DriftInformation: {
      StackDriftStatus: 'IN_SYNC',
      LastCheckTimestamp: hoursAgo(48),
    },
  }),
};

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackResource.html */
const RESOURCES: Record<string, Array<[string, string, string]>> = {
  'innovate-dev-network': [['Vpc', 'AWS::EC2::VPC', 'vpc-0a1b2c3d4e5f60001']],
  'innovate-dev-security': [['DataKey', 'AWS::KMS::Key', 'key-0001']],
  'innovate-dev-observability': [
    ['LegacyAlarm', 'AWS::CloudWatch::Alarm', 'dev-legacy-5xx'],
  ],
  'innovate-dev-data': [
    ['Database', 'AWS::RDS::DBInstance', 'innovate-dev-db'],
    ['ReportingCluster', 'AWS::RDS::DBCluster', 'innovate-dev-reporting'],
  ],
  'innovate-dev-compute': [
    ['Cluster', 'AWS::EKS::Cluster', 'innovate-dev-eks'],
  ],
};

function stackEvent(stackName: string, n: number, status: string) {
  return {
    StackId: stackId(stackName),
    EventId: `${stackName}-event-${n}`,
    StackName: stackName,
    LogicalResourceId: stackName,
    PhysicalResourceId: stackId(stackName),
    ResourceType: 'AWS::CloudFormation::Stack',
    Timestamp: new Date(Date.parse('2026-10-01T09:00:00Z') + n * 60_000),
    ResourceStatus: status,
  };
}

/** CloudFormation, EKS, RDS and CloudWatch answering the health run of `innovate-dev` (its edge stack is gone). */
export function answerHealth(wire: AwsWire): void {
  const cfn = XMLNS.cloudformation;
  wire.on('cloudformation', 'DescribeStacks', request => {
    const name = request.params.get('StackName') ?? '';
    const found = STACKS[name];
    return found
      ? queryResult(cfn, 'DescribeStacks', { Stacks: [found] })
      : queryError(
          cfn,
          'ValidationError',
          `Stack with id ${name} does not exist`,
        );
  });
  wire.on('cloudformation', 'DetectStackDrift', () =>
    queryResult(cfn, 'DetectStackDrift', {
      StackDriftDetectionId: '2d9c0000-0000-4000-8000-000000000001',
    }),
  );
  wire.on('cloudformation', 'DescribeStackResources', request => {
    const name = request.params.get('StackName') ?? '';
    return queryResult(cfn, 'DescribeStackResources', {
      StackResources: (RESOURCES[name] ?? []).map(
        ([logicalId, type, physicalId]) => ({
          StackName: name,
          StackId: stackId(name),
          LogicalResourceId: logicalId,
          PhysicalResourceId: physicalId,
          ResourceType: type,
          Timestamp: new Date('2026-10-01T09:10:00Z'),
          ResourceStatus: 'CREATE_COMPLETE',
          DriftInformation: { StackResourceDriftStatus: 'IN_SYNC' },
        }),
      ),
    });
  });
  // The network stack's events come in two pages; the others' in one.
  wire.on('cloudformation', 'DescribeStackEvents', request => {
    const name = request.params.get('StackName') ?? '';
    if (name === 'innovate-dev-network' && !request.params.has('NextToken')) {
      return queryResult(cfn, 'DescribeStackEvents', {
        StackEvents: [stackEvent(name, 3, 'CREATE_COMPLETE')],
        NextToken: 'network-events-2',
      });
    }
    return queryResult(cfn, 'DescribeStackEvents', {
      StackEvents: [stackEvent(name, 1, 'CREATE_IN_PROGRESS')],
    });
  });

  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
  wire.on('eks', 'DescribeCluster', () =>
    restJson({
      cluster: {
        name: 'innovate-dev-eks',
        arn: `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/innovate-dev-eks`,
        createdAt: epochSeconds(new Date('2026-10-01T09:20:00Z')),
        version: '1.34',
        platformVersion: 'eks.5',
        status: 'ACTIVE',
        tags: { 'innovate:environment': 'innovate-dev' },
      },
    }),
  );
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_ListNodegroups.html
  wire.on('eks', 'ListNodegroups', request =>
    request.query.get('nextToken') === 'nodegroups-2'
      ? restJson({ nodegroups: ['workers'] })
      : restJson({ nodegroups: ['system'], nextToken: 'nodegroups-2' }),
  );
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeNodegroup.html
  wire.on('eks', 'DescribeNodegroup', request => {
    const name = request.path.split('/').pop();
    return restJson({
      nodegroup: {
        nodegroupName: name,
        clusterName: 'innovate-dev-eks',
        version: '1.34',
        status: name === 'workers' ? 'UPDATING' : 'ACTIVE',
        capacityType: name === 'workers' ? 'SPOT' : 'ON_DEMAND',
        scalingConfig: {
          minSize: 1,
          maxSize: 6,
          desiredSize: name === 'workers' ? 3 : 2,
        },
        instanceTypes:
          name === 'workers' ? ['m6i.xlarge', 'm7i.xlarge'] : ['m6i.large'],
        createdAt: epochSeconds(new Date('2026-10-01T09:40:00Z')),
      },
    });
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html
  wire.on('rds', 'DescribeDBInstances', () =>
    queryResult(XMLNS.rds, 'DescribeDBInstances', {
      DBInstances: members('DBInstance', [
        {
          DBInstanceIdentifier: 'innovate-dev-db',
          DBInstanceClass: 'db.t4g.medium',
          Engine: 'postgres',
          EngineVersion: '17.6',
          DBInstanceStatus: 'available',
          MultiAZ: false,
          StorageEncrypted: true,
          BackupRetentionPeriod: 7,
        },
      ]),
    }),
  );

  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusters.html
  wire.on('rds', 'DescribeDBClusters', () =>
    queryResult(XMLNS.rds, 'DescribeDBClusters', {
      DBClusters: members('DBCluster', [
        {
          DBClusterIdentifier: 'innovate-dev-reporting',
          Engine: 'aurora-postgresql',
          EngineVersion: '16.8',
          Status: 'available',
          MultiAZ: true,
          StorageEncrypted: true,
          BackupRetentionPeriod: 14,
          DBClusterInstanceClass: 'db.r6g.large',
        },
      ]),
    }),
  );

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html (awsJson 1.0 here)
  const alarm = (
    name: string,
    state: string,
    metric: string,
    reason: string,
  ) => ({
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${DEV_ACCOUNT}:alarm:${name}`,
    StateValue: state,
    StateReason: reason,
    StateUpdatedTimestamp: epochSeconds(hoursAgo(1)),
    MetricName: metric,
    Namespace: 'AWS/RDS',
  });
  wire.on('monitoring', 'DescribeAlarms', request => {
    if (request.json?.AlarmNames) {
      return awsJson(
        {
          MetricAlarms: [
            alarm(
              'dev-legacy-5xx',
              'INSUFFICIENT_DATA',
              'HTTPCode_Target_5XX_Count',
              'Insufficient Data: 1 datapoint was unknown.',
            ),
          ],
        },
        '1.0',
      );
    }
    return request.json?.NextToken === 'alarms-2'
      ? awsJson(
          {
            MetricAlarms: [
              alarm(
                'innovate-dev-db-cpu',
                'ALARM',
                'CPUUtilization',
                'Threshold Crossed: 1 datapoint [91.2] was greater than the threshold (80.0).',
              ),
            ],
          },
          '1.0',
        )
      : awsJson(
          {
            MetricAlarms: [
              alarm(
                'innovate-dev-alb-5xx',
                'OK',
                'HTTPCode_Target_5XX_Count',
                'Threshold Crossed: no datapoints were received.',
              ),
            ],
            NextToken: 'alarms-2',
          },
          '1.0',
        );
  });
}
