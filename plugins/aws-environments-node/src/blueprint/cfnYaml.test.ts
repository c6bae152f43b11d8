import { InputError } from '@backstage/errors';
import { parseTemplate } from './cfnYaml';

describe('parseTemplate', () => {
  it('expands every short-form intrinsic into its long form', () => {
    const template = parseTemplate(`
AWSTemplateFormatVersion: 2010-09-09
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition NotProd, !Condition IsProd]]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Select [0, !Cidr [!Ref VpcCidr, 6, 8]]
      Scalar: !Sub '\${AWS::StackName}-vpc'
      Sequence: !Sub
        - '\${Name}-x'
        - { Name: !Ref Env }
      Joined: !Join ['-', !Split [',', !ImportValue shared-list]]
      Zone: !Select [1, !GetAZs '']
      Attr: !GetAtt Db.Endpoint.Address
      AttrList: !GetAtt [Db, Arn]
      Chosen: !If [IsProd, !FindInMap [Sizes, !Ref Stage, Class], !Ref AWS::NoValue]
      UserData: !Base64 { 'Fn::Sub': 'echo \${Env}' }
`);
    const props = template.Resources.Vpc.Properties!;
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: {
        'Fn::And': [
          { Condition: 'IsProd' },
          { 'Fn::Or': [{ Condition: 'NotProd' }, { Condition: 'IsProd' }] },
        ],
      },
    });
    expect(props.CidrBlock).toEqual({
      'Fn::Select': [0, { 'Fn::Cidr': [{ Ref: 'VpcCidr' }, 6, 8] }],
    });
    expect(props.Scalar).toEqual({ 'Fn::Sub': '${AWS::StackName}-vpc' });
    expect(props.Sequence).toEqual({
      'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Env' } }],
    });
    expect(props.Joined).toEqual({
      'Fn::Join': [
        '-',
        { 'Fn::Split': [',', { 'Fn::ImportValue': 'shared-list' }] },
      ],
    });
    expect(props.Zone).toEqual({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] });
    expect(props.Attr).toEqual({ 'Fn::GetAtt': ['Db', 'Endpoint.Address'] });
    expect(props.AttrList).toEqual({ 'Fn::GetAtt': ['Db', 'Arn'] });
    expect(props.Chosen).toEqual({
      'Fn::If': [
        'IsProd',
        { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Class'] },
        { Ref: 'AWS::NoValue' },
      ],
    });
    expect(props.UserData).toEqual({
      'Fn::Base64': { 'Fn::Sub': 'echo ${Env}' },
    });
  });

  it('reads JSON templates', () => {
    const template = parseTemplate(
      JSON.stringify({
        Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
        Outputs: { Arn: { Value: { Ref: 'Topic' } } },
      }),
    );
    expect(template.Outputs?.Arn.Value).toEqual({ Ref: 'Topic' });
  });

  it('rejects broken YAML, missing Resources and typeless resources with InputError', () => {
    expect(() => parseTemplate('Resources: [unclosed', 'network.yaml')).toThrow(
      /network.yaml is not valid/,
    );
    expect(() => parseTemplate('Parameters: {}')).toThrow(InputError);
    expect(() =>
      parseTemplate('Resources:\n  Bucket:\n    Properties: {}\n'),
    ).toThrow(/Bucket has no Type/);
  });

  it('rejects unknown tags instead of silently dropping them', () => {
    expect(() =>
      parseTemplate('Resources:\n  A:\n    Type: !Bogus x\n'),
    ).toThrow(InputError);
  });
});
