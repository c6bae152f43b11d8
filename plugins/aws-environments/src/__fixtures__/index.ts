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
  PRICE_TABLE,
  type AwsAccountSummary,
  type AwsVersionsResponse,
  type ComponentLifecycle,
  type EnvironmentCosts,
  type EnvironmentLifecycle,
  type EnvironmentFindings,
  type EnvironmentHealth,
  type EnvironmentSummary,
  type Finding,
  type FindingSeverity,
  type CostPoint,
  type FactSource,
  type RegionPricesResponse,
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
  // As in the seeded summaries, innovate-dev's cluster is on a version in extended support.
  const kubernetes =
    environment === 'innovate-dev'
      ? makeExtendedKubernetesLifecycle(environment)
      : makeKubernetesLifecycle({}, environment);
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
      version: kubernetes.version,
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
        engineVersion: '17.6',
      },
    ],
    alarms: [
      {
        name: `${environment}-alb-5xx`,
        state: 'OK',
        metric: 'HTTPCode_ELB_5XX_Count',
      },
      { name: `${environment}-rds-cpu`, state: 'OK', metric: 'CPUUtilization' },
    ],
    lifecycle: makeLifecycle(environment, [
      kubernetes,
      makeDatabaseLifecycle({}, environment),
    ]),
    ...overrides,
  };
}

/*
 * Versions, support dates and prices below are test data in the shape the backend serves, dated around
 * FIXTURE_NOW; they are not AWS's calendar or price list, which the backend reads at run time.
 */

/** The cluster of an environment in standard support, well before its end. */
export function makeKubernetesLifecycle(
  overrides: Partial<ComponentLifecycle> = {},
  environment = 'innovate-prod',
): ComponentLifecycle {
  return {
    kind: 'kubernetes',
    resource: `${environment}-eks`,
    version: '1.35',
    phase: 'standard',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
    daysLeft: 120,
    summary: 'In standard support; standard support ends in 120 days',
    ...overrides,
  };
}

/** The same cluster on a version in extended support, which EKS bills at a higher hourly price. */
export function makeExtendedKubernetesLifecycle(
  environment = 'innovate-prod',
): ComponentLifecycle {
  return makeKubernetesLifecycle(
    {
      version: '1.33',
      phase: 'extended',
      endOfStandardSupport: '2026-07-29',
      endOfExtendedSupport: '2027-07-29',
      daysLeft: 244,
      extendedSupportMonthly: 365,
      nextVersion: '1.34',
      summary: 'In extended support (+$365/month); support ends in 244 days',
    },
    environment,
  );
}

export function makeDatabaseLifecycle(
  overrides: Partial<ComponentLifecycle> = {},
  environment = 'innovate-prod',
): ComponentLifecycle {
  return {
    kind: 'database',
    resource: `${environment}-database`,
    engine: 'postgres',
    version: '17.6',
    phase: 'standard',
    endOfStandardSupport: '2030-02-28',
    endOfExtendedSupport: '2033-02-28',
    daysLeft: 1189,
    summary: 'In standard support; standard support ends in 1189 days',
    ...overrides,
  };
}

/** Lifecycle of an environment from its components: the worst phase and the fewest days left. */
export function makeLifecycle(
  environment = 'innovate-prod',
  components: ComponentLifecycle[] = [
    makeKubernetesLifecycle({}, environment),
    makeDatabaseLifecycle({}, environment),
  ],
): EnvironmentLifecycle {
  const rank = { unsupported: 0, extended: 1, unknown: 2, standard: 3 };
  const worst = components.reduce<EnvironmentLifecycle['worst']>(
    (current, component) =>
      rank[component.phase] < rank[current] ? component.phase : current,
    'standard',
  );
  const days = components
    .map(component => component.daysLeft)
    .filter((value): value is number => value !== undefined);
  const surcharge = components.reduce(
    (sum, component) => sum + (component.extendedSupportMonthly ?? 0),
    0,
  );
  return {
    components,
    worst,
    daysLeft: days.length ? Math.min(...days) : undefined,
    extendedSupportMonthly: surcharge || undefined,
  };
}

/** What `GET /aws-versions` answers for an account and Region. */
export function makeAwsVersions(
  overrides: Partial<AwsVersionsResponse> = {},
): AwsVersionsResponse {
  return {
    collectedAt: '2026-11-27T06:00:00.000Z',
    stale: false,
    accountId: '222222222222',
    region: 'eu-central-1',
    source: 'simulated',
    snapshotDate: '2026-11-01',
    kubernetes: [
      {
        version: '1.35',
        status: 'STANDARD_SUPPORT',
        phase: 'standard',
        releaseDate: '2026-01-27',
        endOfStandardSupport: '2027-03-27',
        endOfExtendedSupport: '2028-03-27',
      },
      {
        version: '1.34',
        status: 'STANDARD_SUPPORT',
        phase: 'standard',
        releaseDate: '2025-10-02',
        endOfStandardSupport: '2026-12-02',
        endOfExtendedSupport: '2027-12-02',
        defaultVersion: true,
      },
      {
        version: '1.33',
        status: 'EXTENDED_SUPPORT',
        phase: 'extended',
        releaseDate: '2025-05-29',
        endOfStandardSupport: '2026-07-29',
        endOfExtendedSupport: '2027-07-29',
      },
      {
        version: '1.32',
        status: 'EXTENDED_SUPPORT',
        phase: 'extended',
        releaseDate: '2025-01-23',
        endOfStandardSupport: '2026-03-23',
        endOfExtendedSupport: '2027-03-23',
      },
    ],
    databases: {
      postgres: [
        {
          engine: 'postgres',
          version: '17.6',
          majorVersion: '17',
          upgradeTargets: [],
          endOfStandardSupport: '2030-02-28',
          endOfExtendedSupport: '2033-02-28',
        },
        {
          engine: 'postgres',
          version: '17.5',
          majorVersion: '17',
          defaultForMajor: true,
          upgradeTargets: ['17.6'],
          endOfStandardSupport: '2030-02-28',
          endOfExtendedSupport: '2033-02-28',
        },
        {
          engine: 'postgres',
          version: '16.10',
          majorVersion: '16',
          defaultForMajor: true,
          upgradeTargets: ['17.5', '17.6'],
          endOfStandardSupport: '2029-02-28',
          endOfExtendedSupport: '2032-02-29',
        },
        {
          engine: 'postgres',
          version: '16.9',
          majorVersion: '16',
          upgradeTargets: ['16.10', '17.5', '17.6'],
          endOfStandardSupport: '2029-02-28',
          endOfExtendedSupport: '2032-02-29',
        },
      ],
      'aurora-postgresql': [
        {
          engine: 'aurora-postgresql',
          version: '17.5',
          majorVersion: '17',
          defaultForMajor: true,
          upgradeTargets: [],
          endOfStandardSupport: '2030-02-28',
        },
        {
          engine: 'aurora-postgresql',
          version: '16.9',
          majorVersion: '16',
          defaultForMajor: true,
          upgradeTargets: ['17.5'],
          endOfStandardSupport: '2029-02-28',
        },
        {
          engine: 'aurora-postgresql',
          version: '16.8',
          majorVersion: '16',
          upgradeTargets: ['16.9', '17.5'],
          endOfStandardSupport: '2029-02-28',
        },
      ],
    },
    eksPricing: {
      standardHourly: 0.1,
      extendedHourly: 0.6,
      source: 'simulated',
      asOf: '2026-11-01',
    },
    ...overrides,
  };
}

/**
 * What `GET /prices/:region` answers: the shipped table's figures of the Region, with a NAT gateway price of its
 * own so that a test can tell these prices from the table's.
 */
export function makeRegionPrices(
  region = 'eu-central-1',
  overrides: Partial<RegionPricesResponse> = {},
  source: FactSource = 'aws',
): RegionPricesResponse {
  const table = PRICE_TABLE.regions[region] ?? PRICE_TABLE.regions['us-east-1'];
  return {
    region,
    pricedRegion: region,
    fallback: false,
    source,
    asOf: '2026-11-27',
    currency: 'USD',
    prices: { ...table, natGatewayHourly: table.natGatewayHourly * 2 },
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
    template: {
      name: 'aws-environment',
      version: '1.0.0',
      latestVersion: '1.0.0',
      behind: false,
    },
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
    lifecycle: {
      worst: 'standard',
      daysLeft: 120,
      summary:
        'Kubernetes 1.35 in standard support; standard support ends in 120 days',
    },
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
      template: {
        name: 'aws-environment',
        version: '0.9.0',
        latestVersion: '1.0.0',
        behind: true,
      },
      health: {
        verdict: 'degraded',
        reasons: ['innovate-dev-data has drifted'],
        stale: false,
      },
      costs: {
        monthToDate: 210.5,
        forecastMonthEnd: 260,
        budgetLimit: 300,
        currency: 'USD',
        stale: false,
      },
      findings: { critical: 0, high: 2, stale: false },
      lifecycle: {
        worst: 'extended',
        daysLeft: 244,
        extendedSupportMonthly: 365,
        summary:
          'Kubernetes 1.33 in extended support (+$365/month); support ends in 244 days',
      },
    }),
    makeSummary({
      name: 'innovate-staging',
      entityRef: 'resource:default/innovate-staging',
      stage: 'staging',
      owner: 'group:default/platform-team',
      accountId: '222222222222',
      accountName: 'innovate-dev',
      costs: {
        monthToDate: 340.25,
        forecastMonthEnd: 420,
        budgetLimit: 400,
        currency: 'USD',
        stale: false,
      },
      findings: { critical: 0, high: 0, stale: false },
      lifecycle: {
        worst: 'standard',
        daysLeft: 5,
        summary:
          'Kubernetes 1.34 in standard support; standard support ends in 5 days',
      },
    }),
    makeSummary(),
  ];
}

export function makeAccounts(): AwsAccountSummary[] {
  return [
    {
      accountId: '111111111111',
      name: 'shared-services',
      stage: 'shared',
      regions: ['eu-central-1'],
      defaultRegion: 'eu-central-1',
    },
    {
      accountId: '222222222222',
      name: 'innovate-dev',
      stage: 'dev',
      regions: ['eu-central-1'],
      defaultRegion: 'eu-central-1',
    },
    {
      accountId: '333333333333',
      name: 'innovate-prod',
      stage: 'prod',
      regions: ['eu-central-1'],
      defaultRegion: 'eu-central-1',
    },
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
            {
              logicalId: 'Database',
              physicalId: `${environment}-database`,
              type: 'AWS::RDS::DBInstance',
              status: 'CREATE_COMPLETE',
              driftStatus: 'IN_SYNC',
            },
            {
              logicalId: 'DatabaseSecret',
              physicalId: `${environment}/database`,
              type: 'AWS::SecretsManager::Secret',
              status: 'CREATE_COMPLETE',
              driftStatus: 'IN_SYNC',
            },
          ]
        : [
            {
              logicalId: `${layer[0].toUpperCase()}${layer.slice(1)}Resource`,
              physicalId: `${stackName}-res`,
              type: 'AWS::CloudFormation::WaitConditionHandle',
              status: 'CREATE_COMPLETE',
            },
          ],
    outputs:
      layer === 'network'
        ? [
            {
              key: 'VpcId',
              value: 'vpc-0123456789abcdef0',
              description: 'The VPC',
              exportName: `${stackName}-VpcId`,
            },
          ]
        : [],
    events: [
      {
        timestamp: '2026-11-20T09:00:00.000Z',
        logicalId: stackName,
        resourceType: 'AWS::CloudFormation::Stack',
        status: 'CREATE_COMPLETE',
      },
      {
        timestamp: '2026-11-20T08:40:00.000Z',
        logicalId: stackName,
        resourceType: 'AWS::CloudFormation::Stack',
        status: 'CREATE_IN_PROGRESS',
        reason: 'User Initiated',
      },
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
    template: {
      name: 'aws-environment',
      version: '1.0.0',
      latestVersion: '1.0.0',
      behind: false,
    },
    stacks: ENVIRONMENT_LAYERS.map(layer => makeStack(environment, layer)),
    ...overrides,
  };
}
