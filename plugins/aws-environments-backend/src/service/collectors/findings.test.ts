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
  AwsSecurityFinding,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  DEV_ACCOUNT,
  REGION,
  awsError,
  fakeAwsClientFactory,
} from '../../__testUtils__/fixtures';
import { collectAccountFindings, guardDutySeverity } from './findings';

const securityHub = mockClient(SecurityHubClient);
const guardDuty = mockClient(GuardDutyClient);
const inspector = mockClient(Inspector2Client);
const factory = fakeAwsClientFactory();
const target = { accountId: DEV_ACCOUNT, region: REGION };

function finding(
  id: string,
  env: string,
  severity: string,
  product: string,
  firstObservedAt: string,
): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: `arn:aws:securityhub:${REGION}::product/aws/${product.toLowerCase()}`,
    ProductName: product,
    GeneratorId: 'generator',
    AwsAccountId: DEV_ACCOUNT,
    CreatedAt: firstObservedAt,
    UpdatedAt: '2026-11-20T00:00:00Z',
    FirstObservedAt: firstObservedAt,
    Title: `${severity} finding ${id}`,
    Description: 'description',
    Severity: { Label: severity as any },
    Workflow: { Status: 'NEW' },
    Resources: [
      {
        Type: 'AwsEksCluster',
        Id: `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/${env}-eks`,
        Tags: { 'innovate:environment': env },
      },
    ],
  };
}

beforeEach(() => {
  securityHub.reset();
  guardDuty.reset();
  inspector.reset();
});

describe('collectAccountFindings from Security Hub', () => {
  beforeEach(() => {
    securityHub.on(GetFindingsCommand, { NextToken: undefined }).resolves({
      Findings: [
        finding(
          'f1',
          'innovate-dev',
          'HIGH',
          'GuardDuty',
          '2026-11-10T00:00:00Z',
        ),
        finding(
          'f2',
          'innovate-dev',
          'CRITICAL',
          'Inspector',
          '2026-11-12T00:00:00Z',
        ),
        finding(
          'f3',
          'innovate-staging',
          'MEDIUM',
          'Security Hub',
          '2026-11-01T00:00:00Z',
        ),
      ],
      NextToken: 'next',
    });
    securityHub.on(GetFindingsCommand, { NextToken: 'next' }).resolves({
      Findings: [
        finding(
          'f4',
          'innovate-dev',
          'HIGH',
          'Security Hub',
          '2026-11-01T00:00:00Z',
        ),
        finding(
          'f5',
          'not-ours',
          'CRITICAL',
          'GuardDuty',
          '2026-11-01T00:00:00Z',
        ),
      ],
    });
  });

  it('follows every page and splits findings per environment by the resource tag', async () => {
    const reports = await collectAccountFindings(factory, target, [
      'innovate-dev',
      'innovate-staging',
    ]);
    expect(securityHub).toHaveReceivedCommandTimes(GetFindingsCommand, 2);
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
    // Most severe first; within a severity the oldest open finding first.
    expect(dev.top.map(f => f.id)).toEqual(['f2', 'f4', 'f1']);
    expect(dev.top[0]).toMatchObject({
      title: 'CRITICAL finding f2',
      severity: 'CRITICAL',
      product: 'Inspector',
      resourceId: `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/innovate-dev-eks`,
      resourceType: 'AwsEksCluster',
      workflowState: 'NEW',
      firstObservedAt: '2026-11-12T00:00:00Z',
    });
    expect(dev.top[0].consoleUrl).toMatch(
      /^https:\/\/eu-central-1\.console\.aws\.amazon\.com\/securityhub\//,
    );
    expect(reports.get('innovate-staging')!.counts.MEDIUM).toBe(1);
  });

  it('asks for active, open findings of the environments by tag, batching environments per query', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `env-${i}`);
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    await collectAccountFindings(factory, target, names);
    expect(securityHub).toHaveReceivedCommandTimes(GetFindingsCommand, 3);
    const filters =
      securityHub.commandCalls(GetFindingsCommand)[0].args[0].input.Filters!;
    expect(filters.ResourceTags).toHaveLength(10);
    expect(filters.ResourceTags![0]).toEqual({
      Key: 'innovate:environment',
      Value: 'env-0',
      Comparison: 'EQUALS',
    });
    expect(filters.RecordState).toEqual([
      { Value: 'ACTIVE', Comparison: 'EQUALS' },
    ]);
  });
});

describe('collectAccountFindings without Security Hub', () => {
  beforeEach(() => {
    securityHub
      .on(GetFindingsCommand)
      .rejects(
        awsError(
          'InvalidAccessException',
          'Account is not subscribed to AWS Security Hub',
        ),
      );
    guardDuty
      .on(ListDetectorsCommand)
      .resolves({ DetectorIds: ['detector-1'] });
    guardDuty
      .on(ListGuardDutyFindingsCommand)
      .resolves({ FindingIds: ['gd-1', 'gd-2'] });
    guardDuty.on(GetGuardDutyFindingsCommand).resolves({
      Findings: [
        {
          Id: 'gd-1',
          Title: 'Unusual API calls',
          Severity: 8,
          Type: 'Recon:IAMUser/MaliciousIPCaller',
          AccountId: DEV_ACCOUNT,
          Arn: 'arn',
          CreatedAt: '2026-11-10T00:00:00Z',
          UpdatedAt: '2026-11-11T00:00:00Z',
          Region: REGION,
          SchemaVersion: '2.0',
          Resource: {
            ResourceType: 'Instance',
            InstanceDetails: {
              InstanceId: 'i-123',
              Tags: [{ Key: 'innovate:environment', Value: 'innovate-dev' }],
            },
          },
        },
        {
          Id: 'gd-2',
          Title: 'Other account resource',
          Severity: 5,
          Type: 'x',
          AccountId: DEV_ACCOUNT,
          Arn: 'arn',
          CreatedAt: '2026-11-10T00:00:00Z',
          UpdatedAt: '2026-11-11T00:00:00Z',
          Region: REGION,
          SchemaVersion: '2.0',
          Resource: {
            ResourceType: 'Instance',
            InstanceDetails: { InstanceId: 'i-9' },
          },
        },
      ],
    });
    inspector.on(ListInspectorFindingsCommand).resolves({
      findings: [
        {
          findingArn: 'arn:aws:inspector2:finding/1',
          awsAccountId: DEV_ACCOUNT,
          type: 'PACKAGE_VULNERABILITY',
          description: 'CVE',
          title: 'CVE-2026-0001 - openssl',
          severity: 'CRITICAL',
          status: 'ACTIVE',
          firstObservedAt: new Date('2026-11-05T00:00:00Z'),
          lastObservedAt: new Date('2026-11-20T00:00:00Z'),
          updatedAt: new Date('2026-11-20T00:00:00Z'),
          remediation: {},
          resources: [
            {
              type: 'AWS_ECR_CONTAINER_IMAGE',
              id: 'image-1',
              tags: { 'innovate:environment': 'innovate-dev' },
            },
          ],
        },
      ],
    });
  });

  it('falls back to GuardDuty and Inspector and keeps only the environment tag matches', async () => {
    const reports = await collectAccountFindings(factory, target, [
      'innovate-dev',
    ]);
    const dev = reports.get('innovate-dev')!;
    expect(dev.source).toBe('guardduty-inspector');
    expect(dev.counts).toEqual({
      CRITICAL: 1,
      HIGH: 1,
      MEDIUM: 0,
      LOW: 0,
      INFORMATIONAL: 0,
    });
    expect(dev.byProduct).toEqual({ GuardDuty: 1, Inspector: 1 });
    expect(dev.top.map(f => [f.product, f.resourceId])).toEqual([
      ['Inspector', 'image-1'],
      ['GuardDuty', 'i-123'],
    ]);
    expect(guardDuty).toHaveReceivedCommandWith(GetGuardDutyFindingsCommand, {
      DetectorId: 'detector-1',
      FindingIds: ['gd-1', 'gd-2'],
    });
  });

  it('reports no GuardDuty findings where GuardDuty has no detector and Inspector is not enabled', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    inspector
      .on(ListInspectorFindingsCommand)
      .rejects(awsError('AccessDeniedException', 'Inspector2 is not enabled'));
    const reports = await collectAccountFindings(factory, target, [
      'innovate-dev',
    ]);
    expect(reports.get('innovate-dev')!.counts.CRITICAL).toBe(0);
    expect(guardDuty).not.toHaveReceivedCommand(ListGuardDutyFindingsCommand);
  });

  it('maps GuardDuty severity scores to labels', () => {
    expect([9.5, 8, 5, 2, 0].map(guardDutySeverity)).toEqual([
      'CRITICAL',
      'HIGH',
      'MEDIUM',
      'LOW',
      'INFORMATIONAL',
    ]);
  });
});

it('fails when Security Hub fails for another reason than not being enabled', async () => {
  securityHub
    .on(GetFindingsCommand)
    .rejects(awsError('ThrottlingException', 'Rate exceeded'));
  await expect(
    collectAccountFindings(factory, target, ['innovate-dev']),
  ).rejects.toThrow('Rate exceeded');
  expect(guardDuty).not.toHaveReceivedCommand(ListDetectorsCommand);
});
