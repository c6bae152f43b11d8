/** Small templates exercising ordering, conditions and intrinsics, shared by the simulation's tests. */
export const DATABASE_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: Test network and database
Parameters:
  EnvironmentName:
    Type: String
  MultiAz:
    Type: String
    Default: 'false'
    AllowedValues: ['true', 'false']
  InstanceClass:
    Type: String
    Default: db.t4g.medium
  VpcCidr:
    Type: String
    Default: 10.0.0.0/16
Conditions:
  IsMultiAz: !Equals [!Ref MultiAz, 'true']
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      Tags:
        - Key: Name
          Value: !Sub '\${EnvironmentName}-vpc'
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]
      AvailabilityZone: !Select [0, !GetAZs '']
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]]
      AvailabilityZone: !Select [1, !GetAZs '']
  SubnetGroup:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: Database subnets
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: !Sub '\${EnvironmentName}-db'
      Engine: postgres
      DBInstanceClass: !Ref InstanceClass
      MultiAZ: !If [IsMultiAz, true, false]
      DBSubnetGroupName: !Ref SubnetGroup
      AllocatedStorage: '20'
      StorageEncrypted: true
Outputs:
  VpcId:
    Value: !Ref Vpc
  SubnetIds:
    Value: !Join [',', [!Ref SubnetA, !Ref SubnetB]]
  DatabaseEndpoint:
    Value: !GetAtt Database.Endpoint.Address
`;

/** The database template plus a log group, for an update that adds a resource. */
export const DATABASE_WITH_LOGS_TEMPLATE = DATABASE_TEMPLATE.replace(
  'Outputs:',
  `  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/innovate/\${EnvironmentName}'
      RetentionInDays: 30
Outputs:`,
);

export const IAM_TEMPLATE = `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: []
`;
