/**
 * Typed factories of the insights API's answers, shared by the tests and the dev harness. They describe the
 * simulated organization's seeded environments; pass overrides to shape a case.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  ENVIRONMENT_LAYERS,
  ENVIRONMENT_RESOURCE_TYPE,
  type AwsAccountSummary,
  type EnvironmentCosts,
  type EnvironmentFindings,
  type EnvironmentHealth,
  type EnvironmentSummary,
  type Finding,
  type FindingSeverity,
  type CostPoint,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import type { EnvironmentStacks, StackDetail } from '../api/types';

/** A fixed "now" so that ages and "as of" times read the same in every run. */
export const FIXTURE_NOW = '2026-11-27T12:00:00.000Z';

export function makeEnvironmentEntity(
  name = 'innovate-prod',
  overrides: { accountId?: string; region?: string; stage?: string } = {},
): Entity {
  const accountId = overrides.accountId ?? '333333333333';
  const region = overrides.region ?? 'eu-central-1';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_ACCOUNT_ID]: accountId,
        [ANNOTATION_REGION]: region,
        [ANNOTATION_ENVIRONMENT]: name,
        [ANNOTATION_STAGE]: overrides.stage ?? 'prod',
        [ANNOTATION_STACKS]: ENVIRONMENT_LAYERS.map(layer =>
          stackNameFor(name, layer),
        ).join(','),
        [ANNOTATION_TEMPLATE]: 'aws-environment@1.0.0',
      },
    },
    spec: {
      type: ENVIRONMENT_RESOURCE_TYPE,
      owner: 'group:default/web-team',
      system: 'innovate-web',
    },
  };
}

export function makeHealth(
  overrides: Partial<EnvironmentHealth> = {},
  environment = 'innovate-prod',
): EnvironmentHealth {
  return {
    collectedAt: '2026-11-27T11:55:00.000Z',
    stale: false,
    verdict: 'healthy',
    reasons: [],
    stacks: ENVIRONMENT_LAYERS.map(layer => ({
      stackName: stackNameFor(environment, layer),
      layer,
      status: 'CREATE_COMPLETE',
      driftStatus: 'IN_SYNC',
      lastUpdated: '2026-11-20T09:00:00.000Z',
      templateVersion: '1.0.0',
    })),
    eks: {
      clusterName: `${environment}-eks`,
      status: 'ACTIVE',
      version: '1.31',
      nodegroups: [
        {
          name: 'frontend',
          status: 'ACTIVE',
          capacityType: 'ON_DEMAND',
          desiredSize: 3,
          instanceTypes: ['m6i.large'],
        },
        {
          name: 'backend',
          status: 'ACTIVE',
          capacityType: 'ON_DEMAND',
          desiredSize: 3,
          instanceTypes: ['m6i.xlarge'],
        },
      ],
    },
    databases: [
      {
        identifier: `${environment}-database`,
        engine: 'postgres',
        status: 'available',
        multiAz: true,
        storageEncrypted: true,
        backupRetentionDays: 14,
        instanceClass: 'db.r6g.large',
      },
    ],
    alarms: [
      { name: `${environment}-alb-5xx`, state: 'OK', metric: 'HTTPCode_ELB_5XX_Count' },
      { name: `${environment}-rds-cpu`, state: 'OK', metric: 'CPUUtilization' },
    ],
    ...overrides,
  };
}

const SERVICES: Array<[string, number]> = [
  ['Amazon Elastic Compute Cloud - Compute', 18],
  ['Amazon Relational Database Service', 11],
  ['Amazon Elastic Container Service for Kubernetes', 2.4],
  ['EC2 - Other', 3.1],
  ['Amazon CloudFront', 0.9],
];

/** 90 days of daily costs ending the day before {@link FIXTURE_NOW}, with a weekly rhythm. */
export function makeDailyCosts(days = 90, scale = 1): CostPoint[] {
  const end = new Date(FIXTURE_NOW);
  const points: CostPoint[] = [];
  for (let i = days; i >= 1; i--) {
    const date = new Date(end.getTime() - i * 86_400_000);
    const weekday = date.getUTCDay();
    const load = weekday === 0 || weekday === 6 ? 0.85 : 1;
    const byService = Object.fromEntries(
      SERVICES.map(([service, amount]) => [
        service,
        Math.round(amount * scale * load * 100) / 100,
      ]),
    );
    points.push({
      date: date.toISOString().slice(0, 10),
      amount:
        Math.round(
          Object.values(byService).reduce((sum, value) => sum + value, 0) * 100,
        ) / 100,
      byService,
    });
  }
  return points;
}

export function makeCosts(
  overrides: Partial<EnvironmentCosts> = {},
): EnvironmentCosts {
  const daily = makeDailyCosts();
  return {
    collectedAt: '2026-11-27T08:00:00.000Z',
    stale: false,
    currency: 'USD',
    monthToDate: 912.4,
    lastMonth: 1011.2,
    forecastMonthEnd: 1050.1,
    budget: {
      name: 'innovate-prod-monthly',
      limit: 1500,
      actual: 912.4,
      forecast: 1050.1,
    },
    daily,
    topServices: SERVICES.map(([service, amount]) => ({
      service,
      amount: Math.round(amount * 26 * 100) / 100,
    })),
    ...overrides,
  };
}

export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'arn:aws:securityhub:eu-central-1:333333333333:finding/1',
    title: 'S3 bucket allows public read',
    severity: 'HIGH',
    product: 'Security Hub',
    resourceId: 'arn:aws:s3:::innovate-prod-logs',
    resourceType: 'AwsS3Bucket',
    workflowState: 'NEW',
    firstObservedAt: '2026-11-20T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:00.000Z',
    consoleUrl:
      'https://eu-central-1.console.aws.amazon.com/securityhub/home?region=eu-central-1#/findings',
    ...overrides,
  };
}

export function makeFindings(
  overrides: Partial<EnvironmentFindings> = {},
): EnvironmentFindings {
  const top: Finding[] = [
    makeFinding({
      id: 'f-critical',
      title: 'EKS node has a critical OpenSSL vulnerability (CVE-2026-0001)',
      severity: 'CRITICAL',
      product: 'Inspector',
      resourceId: 'i-0abc1234',
      resourceType: 'AwsEc2Instance',
    }),
    makeFinding({ id: 'f-high' }),
    makeFinding({
      id: 'f-medium',
      title: 'Unusual API call from a known malicious IP',
      severity: 'MEDIUM',
      product: 'GuardDuty',
      resourceId: 'arn:aws:iam::333333333333:role/ci-deployer',
      resourceType: 'AwsIamRole',
    }),
  ];
  const counts: Record<FindingSeverity, number> = {
    CRITICAL: 1,
    HIGH: 4,
    MEDIUM: 7,
    LOW: 12,
    INFORMATIONAL: 3,
  };
  return {
    collectedAt: '2026-11-27T11:30:00.000Z',
    stale: false,
    counts,
    byProduct: { 'Security Hub': 15, Inspector: 9, GuardDuty: 3 },
    top,
    ...overrides,
  };
}

export function makeSummary(
  overrides: Partial<EnvironmentSummary> = {},
): EnvironmentSummary {
  const name = overrides.name ?? 'innovate-prod';
  return {
    entityRef: `resource:default/${name}`,
    name,
    stage: 'prod',
    owner: 'group:default/web-team',
    system: 'system:default/innovate-web',
    accountId: '333333333333',
    accountName: 'innovate-prod',
    region: 'eu-central-1',
    template: { name: 'aws-environment', version: '1.0.0', latestVersion: '1.0.0', behind: false },
    health: {
      verdict: 'healthy',
      reasons: [],
      collectedAt: '2026-11-27T11:55:00.000Z',
      stale: false,
    },
    costs: {
      monthToDate: 912.4,
      forecastMonthEnd: 1050.1,
      budgetLimit: 1500,
      currency: 'USD',
      stale: false,
    },
    findings: { critical: 1, high: 4, stale: false },
    ...overrides,
  };
}

/** The three seeded environments of the simulated organization. */
export function makeSeededSummaries(): EnvironmentSummary[] {
  return [
    makeSummary({
      name: 'innovate-dev',
      entityRef: 'resource:default/innovate-dev',
      stage: 'dev',
      accountId: '222222222222',
      accountName: 'innovate-dev',
      template: { name: 'aws-environment', version: '0.9.0', latestVersion: '1.0.0', behind: true },
      health: { verdict: 'degraded', reasons: ['innovate-dev-data has drifted'], stale: false },
      costs: { monthToDate: 210.5, forecastMonthEnd: 260, budgetLimit: 300, currency: 'USD', stale: false },
      findings: { critical: 0, high: 2, stale: false },
    }),
    makeSummary({
      name: 'innovate-staging',
      entityRef: 'resource:default/innovate-staging',
      stage: 'staging',
      owner: 'group:default/platform-team',
      accountId: '222222222222',
      accountName: 'innovate-dev',
      costs: { monthToDate: 340.25, forecastMonthEnd: 420, budgetLimit: 400, currency: 'USD', stale: false },
      findings: { critical: 0, high: 0, stale: false },
    }),
    makeSummary(),
  ];
}

export function makeAccounts(): AwsAccountSummary[] {
  return [
    { accountId: '111111111111', name: 'shared-services', stage: 'shared', regions: ['eu-central-1'], defaultRegion: 'eu-central-1' },
    { accountId: '222222222222', name: 'innovate-dev', stage: 'dev', regions: ['eu-central-1'], defaultRegion: 'eu-central-1' },
    { accountId: '333333333333', name: 'innovate-prod', stage: 'prod', regions: ['eu-central-1'], defaultRegion: 'eu-central-1' },
  ];
}

function makeStack(environment: string, layer: string): StackDetail {
  const stackName = stackNameFor(environment, layer);
  return {
    stackName,
    layer,
    stackId: `arn:aws:cloudformation:eu-central-1:333333333333:stack/${stackName}/0000`,
    status: 'CREATE_COMPLETE',
    driftStatus: 'IN_SYNC',
    lastUpdated: '2026-11-20T09:00:00.000Z',
    createdAt: '2026-11-20T08:40:00.000Z',
    templateVersion: '1.0.0',
    resources:
      layer === 'data'
        ? [
            { logicalId: 'Database', physicalId: `${environment}-database`, type: 'AWS::RDS::DBInstance', status: 'CREATE_COMPLETE', driftStatus: 'IN_SYNC' },
            { logicalId: 'DatabaseSecret', physicalId: `${environment}/database`, type: 'AWS::SecretsManager::Secret', status: 'CREATE_COMPLETE', driftStatus: 'IN_SYNC' },
          ]
        : [
            { logicalId: `${layer[0].toUpperCase()}${layer.slice(1)}Resource`, physicalId: `${stackName}-res`, type: 'AWS::CloudFormation::WaitConditionHandle', status: 'CREATE_COMPLETE' },
          ],
    outputs:
      layer === 'network'
        ? [{ key: 'VpcId', value: 'vpc-0123456789abcdef0', description: 'The VPC', exportName: `${stackName}-VpcId` }]
        : [],
    events: [
      { timestamp: '2026-11-20T09:00:00.000Z', logicalId: stackName, resourceType: 'AWS::CloudFormation::Stack', status: 'CREATE_COMPLETE' },
      { timestamp: '2026-11-20T08:40:00.000Z', logicalId: stackName, resourceType: 'AWS::CloudFormation::Stack', status: 'CREATE_IN_PROGRESS', reason: 'User Initiated' },
    ],
  };
}

export function makeStacks(
  overrides: Partial<EnvironmentStacks> = {},
  environment = 'innovate-prod',
): EnvironmentStacks {
  return {
    collectedAt: '2026-11-27T11:55:00.000Z',
    stale: false,
    accountId: '333333333333',
    accountName: 'innovate-prod',
    region: 'eu-central-1',
    template: { name: 'aws-environment', version: '1.0.0', latestVersion: '1.0.0', behind: false },
    stacks: ENVIRONMENT_LAYERS.map(layer => makeStack(environment, layer)),
    ...overrides,
  };
}
