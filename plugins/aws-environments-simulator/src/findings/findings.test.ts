import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { createSimulatedAwsClientFactory } from '../factory';

const target = { accountId: '222222222222', region: 'eu-central-1' };
const START = Date.parse('2026-06-01T08:00:00Z');
const MINUTE = 60_000;

const networkTemplate = (
  withFlowLog: boolean,
) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
${
  withFlowLog
    ? `  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Vpc
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::innovate-flow-logs
`
    : ''
}`;

const environmentTags = (environment: string) => [
  { Key: 'innovate:environment', Value: environment },
  { Key: 'innovate:stage', Value: 'dev' },
];

async function allFindings(
  securityHub: SecurityHubClient,
): Promise<AwsSecurityFinding[]> {
  const { Findings } = await securityHub.send(new GetFindingsCommand({}));
  return Findings ?? [];
}

const ofEnvironment = (findings: AwsSecurityFinding[], environment: string) =>
  findings.filter(
    f => f.Resources?.[0]?.Tags?.['innovate:environment'] === environment,
  );

describe('simulated findings', () => {
  it('reports a VPC without a flow log, not one with, and only after its stack was created', async () => {
    let now = START;
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      now: () => now,
    });
    const cloudFormation = await factory.getClient(
      CloudFormationClient,
      target,
    );
    const securityHub = await factory.getClient(SecurityHubClient, target);
    for (const [environment, withFlowLog] of [
      ['innovate-logged', true],
      ['innovate-unlogged', false],
    ] as const) {
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: `${environment}-network`,
          TemplateBody: networkTemplate(withFlowLog),
          Tags: environmentTags(environment),
        }),
      );
    }
    const createdAt = (
      await cloudFormation.send(
        new DescribeStacksCommand({ StackName: 'innovate-unlogged-network' }),
      )
    ).Stacks![0].CreationTime!.getTime();

    // Security Hub evaluates a new resource a few minutes after it appears.
    now += 30_000;
    expect(
      ofEnvironment(await allFindings(securityHub), 'innovate-unlogged'),
    ).toEqual([]);

    now += 30 * MINUTE;
    const findings = await allFindings(securityHub);
    const unlogged = ofEnvironment(findings, 'innovate-unlogged');
    expect(unlogged.map(f => f.Compliance?.SecurityControlId)).toEqual([
      'EC2.6',
    ]);
    expect(unlogged[0].Title).toBe(
      'VPC flow logging should be enabled in all VPCs',
    );
    const firstObserved = Date.parse(unlogged[0].FirstObservedAt!);
    expect(firstObserved).toBeGreaterThanOrEqual(createdAt);
    expect(firstObserved).toBeLessThanOrEqual(now);
    expect(Date.parse(unlogged[0].UpdatedAt!)).toBeGreaterThanOrEqual(
      firstObserved,
    );

    // A VPC without a flow log fails EC2.6 and nothing else here: it has no security group open to anyone.
    expect(
      findings.some(f => f.Compliance?.SecurityControlId === 'EC2.19'),
    ).toBe(false);

    // The flow log of the other VPC satisfies the control: no finding says otherwise.
    expect(
      findings.filter(
        f =>
          f.Compliance?.SecurityControlId === 'EC2.6' &&
          f.Resources?.[0]?.Tags?.['innovate:environment'] ===
            'innovate-logged',
      ),
    ).toEqual([]);
  });

  it('dates every finding of the blueprint environments after the stack that holds its resource was created', async () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    const factory = createSimulatedAwsClientFactory({
      blueprintDir: path.resolve(
        __dirname,
        '../../../../templates/aws-environment/cloudformation',
      ),
      now: () => now,
    });
    await factory.organization.whenReady();
    const cloudFormation = await factory.getClient(
      CloudFormationClient,
      target,
    );
    const stacks = (await cloudFormation.send(new DescribeStacksCommand({})))
      .Stacks!;
    const createdOf = (environment: string) =>
      Math.min(
        ...stacks
          .filter(s =>
            s.Tags?.some(
              t => t.Key === 'innovate:environment' && t.Value === environment,
            ),
          )
          .map(s => s.CreationTime!.getTime()),
      );
    const findings = (
      await allFindings(await factory.getClient(SecurityHubClient, target))
    ).filter(f => f.Resources?.[0]?.Tags?.['innovate:environment']);
    expect(findings.length).toBeGreaterThan(5);
    for (const finding of findings) {
      const environment = finding.Resources![0].Tags!['innovate:environment'];
      expect(Date.parse(finding.FirstObservedAt!)).toBeGreaterThanOrEqual(
        createdOf(environment),
      );
      expect(Date.parse(finding.FirstObservedAt!)).toBeLessThanOrEqual(now);
    }
    // The blueprint's network stack creates a flow log and its keys rotate: no finding claims otherwise.
    const controls = new Set(
      findings.map(f => f.Compliance?.SecurityControlId).filter(Boolean),
    );
    expect(controls.has('EC2.6')).toBe(false);
    expect(controls.has('KMS.4')).toBe(false);
    expect(controls.has('ELB.4')).toBe(false);
    expect(controls.has('S3.5')).toBe(false);
    // Its security groups admit no one from the internet: no finding of SSH attacks or open ports either.
    expect(controls.has('EC2.19')).toBe(false);
    const generators = new Set(findings.map(f => f.GeneratorId));
    expect(generators.has('UnauthorizedAccess:EC2/SSHBruteForce')).toBe(false);
    expect(generators.has('Recon:EC2/PortProbeUnprotectedPort')).toBe(false);
  });

  it('reports a security group open to the internet on SSH, from the rule resource that opens it', async () => {
    let now = START;
    const factory = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      now: () => now,
    });
    const cloudFormation = await factory.getClient(
      CloudFormationClient,
      target,
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'innovate-open-network',
        TemplateBody: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.4.0.0/16
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Vpc
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::innovate-flow-logs
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      VpcId: !Ref Vpc
  SshFromAnywhere:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Bastion
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
`,
        Tags: environmentTags('innovate-open'),
      }),
    );
    now += 30 * MINUTE;
    const controls = ofEnvironment(
      await allFindings(await factory.getClient(SecurityHubClient, target)),
      'innovate-open',
    ).map(f => f.Compliance?.SecurityControlId);
    expect(controls).toEqual(['EC2.19']);
  });
});
