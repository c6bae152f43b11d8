import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import { parseTemplate } from '@internal/plugin-aws-environments-node';
import {
  gitHubTrustProblems,
  parameterValues,
  specProblems,
  substitute,
  TemplateEvaluator,
  unresolvedReferences,
  type SpecDatabase,
} from './templateChecks';

let db: SpecDatabase;
beforeAll(async () => {
  db = await loadAwsServiceSpec();
}, 60_000);

describe('template checks catch the mistakes they exist for', () => {
  it('reports references to nothing', () => {
    const template = parseTemplate(`
Parameters: { Name: { Type: String } }
Conditions: { IsProd: !Equals [!Ref Stage, prod] }
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Condition: Missing
    DependsOn: Ghost
    Properties:
      TopicName: !Sub '\${Name}-\${Nope}-\${AWS::Region}-\${!Literal}'
      DisplayName: !If [Other, !Ref Name, !GetAtt Phantom.Arn]
      KmsMasterKeyId: !FindInMap [NoMap, a, b]
`);
    expect(unresolvedReferences(template)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Ref to unknown Stage'),
        expect.stringContaining('${Nope} names nothing'),
        expect.stringContaining('unknown condition Other'),
        expect.stringContaining('GetAtt of unknown resource Phantom'),
        expect.stringContaining('unknown mapping NoMap'),
        expect.stringContaining('unknown condition Missing'),
        expect.stringContaining('DependsOn: unknown Ghost'),
      ]),
    );
    expect(unresolvedReferences(template)).toHaveLength(7);
  });

  it('reports unknown types, unknown or misplaced properties, missing required ones and unknown attributes', () => {
    const template = parseTemplate(`
Resources:
  Bogus:
    Type: AWS::EC2::Teleporter
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescripton: typo
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourcePrefixList: pl-1 }
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: c
      NodeRole: r
      Subnets: [a]
      ScalingConfig: !If [Cond, { MinSize: 1, MaxCount: 2 }, !Ref AWS::NoValue]
Outputs:
  Id: { Value: !GetAtt Group.Identifier }
`);
    const problems = specProblems(template, db);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Bogus: unknown resource type AWS::EC2::Teleporter',
        'Group (AWS::EC2::SecurityGroup): required property GroupDescription is missing',
        'Group (AWS::EC2::SecurityGroup): unknown property GroupDescripton',
        'Group (AWS::EC2::SecurityGroup).SecurityGroupIngress[0]: unknown property SourcePrefixList',
        'Nodes (AWS::EKS::Nodegroup).ScalingConfig: unknown property MaxCount',
        expect.stringContaining('has no attribute Identifier'),
      ]),
    );
  });

  it('accepts a correct template', () => {
    const template = parseTemplate(`
Parameters: { Cidr: { Type: String } }
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
      Tags: [{ Key: a, Value: b }]
Outputs:
  Cidr: { Value: !GetAtt Vpc.CidrBlock }
  Ref: { Value: !Sub '\${Vpc.VpcId}' }
`);
    expect(unresolvedReferences(template)).toEqual([]);
    expect(specProblems(template, db)).toEqual([]);
  });

  it('evaluates conditions and drops AWS::NoValue for given parameters', () => {
    const template = parseTemplate(`
Parameters:
  Stage: { Type: String }
  Zones: { Type: CommaDelimitedList, Default: 'a,b' }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: !If [IsProd, true, false]
      AvailabilityZone: !If [IsProd, !Ref AWS::NoValue, !Select [0, !Ref Zones]]
  Extra:
    Type: AWS::SNS::Topic
    Condition: NotProd
`);
    const prod = new TemplateEvaluator(
      template,
      parameterValues(template, { Stage: 'prod' }),
    );
    expect(prod.resources().map(r => [r.id, r.properties])).toEqual([
      ['Db', { MultiAZ: true }],
    ]);
    const dev = new TemplateEvaluator(
      template,
      parameterValues(template, { Stage: 'dev' }),
    );
    expect(dev.resources().map(r => r.id)).toEqual(['Db', 'Extra']);
    expect(dev.resources('AWS::RDS::DBInstance')[0].properties).toEqual({
      MultiAZ: false,
      AvailabilityZone: { 'Fn::Select': [0, ['a', 'b']] },
    });
  });
});

describe('GitHub OIDC trust check', () => {
  const trust = (condition: Record<string, Record<string, unknown>>) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {
          Federated:
            'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  });
  const aud = {
    'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
  };

  it('accepts an audience plus subjects pinned to the organization and an environment or ref', () => {
    expect(
      gitHubTrustProblems(
        trust({
          StringEquals: aud,
          StringLike: {
            'token.actions.githubusercontent.com:sub': [
              'repo:acme/*:environment:prod',
              'repo:acme/shop:ref:refs/heads/main',
              'repo:acme/*:ref:refs/tags/v*',
            ],
          },
        }),
        'acme',
      ),
    ).toEqual([]);
  });

  it('rejects a role without sub, which any GitHub repository could assume', () => {
    expect(gitHubTrustProblems(trust({ StringEquals: aud }), 'acme')).toEqual([
      expect.stringContaining('no token.actions.githubusercontent.com:sub'),
    ]);
  });

  it('rejects a missing or loose audience', () => {
    const sub = {
      'token.actions.githubusercontent.com:sub': 'repo:acme/*:environment:dev',
    };
    expect(gitHubTrustProblems(trust({ StringLike: sub }), 'acme')).toEqual([
      expect.stringContaining(':aud must be StringEquals sts.amazonaws.com'),
    ]);
    expect(
      gitHubTrustProblems(
        trust({
          StringLike: {
            ...sub,
            'token.actions.githubusercontent.com:aud': '*',
          },
        }),
        'acme',
      ),
    ).toEqual([
      expect.stringContaining(':aud must be StringEquals sts.amazonaws.com'),
    ]);
  });

  it.each([
    ['*'],
    ['repo:acme/*'],
    ['repo:acme/*:*'],
    ['repo:*/shop:environment:prod'],
    ['repo:acme/*:ref:*'],
    ['repo:acme/*:ref:refs/heads/*'],
  ])('rejects the subject %s, which matches more than one context', subject => {
    expect(
      gitHubTrustProblems(
        trust({
          StringEquals: aud,
          StringLike: { 'token.actions.githubusercontent.com:sub': subject },
        }),
        'acme',
      ),
    ).toEqual([expect.stringContaining('does not pin an organization')]);
  });

  it('rejects another organization and set operators that widen the match', () => {
    expect(
      gitHubTrustProblems(
        trust({
          StringEquals: aud,
          StringLike: {
            'token.actions.githubusercontent.com:sub':
              'repo:evil/*:environment:prod',
          },
        }),
        'acme',
      ),
    ).toEqual([expect.stringContaining('trusts organization evil, not acme')]);
    expect(
      gitHubTrustProblems(
        trust({
          StringEquals: aud,
          'ForAnyValue:StringLike': {
            'token.actions.githubusercontent.com:sub':
              'repo:acme/*:environment:prod',
          },
        }),
        'acme',
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('under ForAnyValue:StringLike'),
        expect.stringContaining('no token.actions.githubusercontent.com:sub'),
      ]),
    );
  });

  it('fills Fn::Sub variables it has values for and leaves the rest alone', () => {
    expect(
      substitute(
        [
          { 'Fn::Sub': 'repo:${GitHubOrganization}/*:ref:refs/tags/v*' },
          { 'Fn::Sub': '${Missing}-x' },
          'plain',
        ],
        { GitHubOrganization: 'acme' },
      ),
    ).toEqual([
      'repo:acme/*:ref:refs/tags/v*',
      { 'Fn::Sub': '${Missing}-x' },
      'plain',
    ]);
  });
});
