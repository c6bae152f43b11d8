/**
 * What the simulated CloudFormation knows about resource types: which exist (ValidateTemplate refuses the rest),
 * roughly how long AWS takes to create them, what their physical ids and attributes look like, and which property
 * changes force a replacement.
 *
 * This is a curated subset (the templates under templates/aws-environment plus the types platform teams commonly
 * add). The full specification lives in @aws-cdk/aws-service-spec, which the portal does not load at run time.
 */
import type { SeededRandom } from '../random';

export const KNOWN_RESOURCE_TYPES = new Set<string>([
  'AWS::ACMPCA::Certificate',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::Backup::BackupVault',
  'AWS::Budgets::Budget',
  'AWS::CertificateManager::Certificate',
  'AWS::CloudFormation::WaitCondition',
  'AWS::CloudFormation::WaitConditionHandle',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::OriginRequestPolicy',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::CloudFront::VpcOrigin',
  'AWS::CloudTrail::Trail',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Config::ConfigRule',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::FlowLog',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::NatGateway',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::PrefixList',
  'AWS::EC2::Route',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetNetworkAclAssociation',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCCidrBlock',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::ECR::Repository',
  'AWS::EKS::AccessEntry',
  'AWS::EKS::Addon',
  'AWS::EKS::Cluster',
  'AWS::EKS::FargateProfile',
  'AWS::EKS::Nodegroup',
  'AWS::EKS::PodIdentityAssociation',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::SubnetGroup',
  'AWS::Events::Rule',
  'AWS::GuardDuty::Detector',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::OIDCProvider',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::IAM::ServiceLinkedRole',
  'AWS::KMS::Alias',
  'AWS::KMS::Key',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup',
  'AWS::Logs::MetricFilter',
  'AWS::Logs::SubscriptionFilter',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBClusterParameterGroup',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBSubnetGroup',
  'AWS::Route53::HostedZone',
  'AWS::Route53::RecordSet',
  'AWS::Route53::RecordSetGroup',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Events::EventBusPolicy',
  'AWS::Route53::HealthCheck',
  'AWS::EC2::TransitGatewayAttachment',
  'AWS::EC2::VPCEndpointService',
  'AWS::EKS::IdentityProviderConfig',
  'AWS::RDS::DBProxy',
  'AWS::RDS::DBProxyTargetGroup',
  'AWS::RDS::EventSubscription',
  'AWS::S3::AccessPoint',
  'AWS::SNS::TopicInlinePolicy',
  'AWS::Synthetics::Canary',
  'AWS::Logs::ResourcePolicy',
  'AWS::CloudFront::KeyValueStore',
  'AWS::CloudFront::CloudFrontOriginAccessIdentity',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ECR::RegistryPolicy',
  'AWS::ECR::ReplicationConfiguration',
  'AWS::ACMPCA::CertificateAuthority',
  'AWS::Config::ConfigurationRecorder',
  'AWS::Config::DeliveryChannel',
  'AWS::SSM::Document',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::ApiGateway::RestApi',
  'AWS::DynamoDB::GlobalTable',
  'AWS::EFS::FileSystem',
  'AWS::EFS::MountTarget',
  'AWS::Kinesis::Stream',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::AccessKey',
  'AWS::SSM::Parameter',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::SecretsManager::RotationSchedule',
  'AWS::SecretsManager::Secret',
  'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::SecurityHub::Hub',
  'AWS::SecurityHub::Standard',
  'AWS::WAFv2::IPSet',
  'AWS::WAFv2::RuleGroup',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
]);

export function isKnownResourceType(type: string): boolean {
  return (
    KNOWN_RESOURCE_TYPES.has(type) ||
    type.startsWith('Custom::') ||
    type === 'AWS::CloudFormation::CustomResource'
  );
}

/** Seconds AWS typically takes to create a resource of the type (before `timeScale`). */
export function creationSeconds(
  type: string,
  properties: Record<string, unknown>,
): number {
  switch (type) {
    case 'AWS::EKS::Cluster':
      return 720;
    case 'AWS::RDS::DBInstance':
      return isTrue(properties.MultiAZ) ? 1080 : 600;
    case 'AWS::RDS::DBCluster':
      return 480;
    case 'AWS::CloudFront::Distribution':
      return 300;
    case 'AWS::EC2::NatGateway':
      return 120;
    case 'AWS::EKS::Nodegroup':
      return 240;
    case 'AWS::EKS::Addon':
      return 60;
    case 'AWS::ElastiCache::ReplicationGroup':
      return 600;
    case 'AWS::CertificateManager::Certificate':
      return 90;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::InstanceProfile':
      return 15;
    case 'AWS::KMS::Key':
    case 'AWS::WAFv2::WebACL':
    case 'AWS::SecretsManager::RotationSchedule':
      return 20;
    case 'AWS::EC2::VPC':
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return type === 'AWS::EC2::VPC' ? 12 : 150;
    default:
      return 5;
  }
}

/** Seconds AWS typically takes to delete; slow resources take about as long as to create. */
export function deletionSeconds(
  type: string,
  properties: Record<string, unknown>,
): number {
  if (type === 'AWS::CloudFront::Distribution') return 600;
  return Math.max(2, Math.round(creationSeconds(type, properties) * 0.6));
}

/** Seconds an in-place update takes. */
export function updateSeconds(
  type: string,
  properties: Record<string, unknown>,
): number {
  if (type === 'AWS::EKS::Cluster') return 1500; // a version upgrade
  if (type === 'AWS::EKS::Nodegroup') return 600;
  return Math.max(2, Math.round(creationSeconds(type, properties) * 0.5));
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

/**
 * Properties whose change replaces the resource (approximation of the specification's `UpdateType: Immutable`):
 * names chosen by the user, network placement, engines and encryption.
 */
const REPLACEMENT_PROPERTIES: Record<string, string[]> = {
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy'],
  'AWS::EC2::Subnet': ['CidrBlock', 'AvailabilityZone', 'VpcId'],
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::EC2::NatGateway': ['SubnetId', 'AllocationId', 'ConnectivityType'],
  'AWS::EC2::RouteTable': ['VpcId'],
  'AWS::EC2::Route': ['RouteTableId', 'DestinationCidrBlock'],
  'AWS::EKS::Cluster': [
    'Name',
    'RoleArn',
    'EncryptionConfig',
    'KubernetesNetworkConfig',
  ],
  'AWS::EKS::Nodegroup': [
    'NodegroupName',
    'ClusterName',
    'InstanceTypes',
    'CapacityType',
    'AmiType',
    'Subnets',
    'NodeRole',
    'DiskSize',
  ],
  'AWS::RDS::DBInstance': [
    'DBInstanceIdentifier',
    'Engine',
    'StorageEncrypted',
    'KmsKeyId',
    'DBSubnetGroupName',
    'AvailabilityZone',
    'DBName',
    'MasterUsername',
    'DBClusterIdentifier',
  ],
  'AWS::RDS::DBCluster': [
    'DBClusterIdentifier',
    'Engine',
    'StorageEncrypted',
    'KmsKeyId',
    'DBSubnetGroupName',
    'DatabaseName',
    'MasterUsername',
  ],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::WAFv2::WebACL': ['Name', 'Scope'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
};

export function requiresReplacement(type: string, property: string): boolean {
  const listed = REPLACEMENT_PROPERTIES[type];
  if (listed) return listed.includes(property);
  return /Name$/.test(property) && property !== 'DisplayName';
}

/** Properties that carry a user-chosen name, which becomes the physical id. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::EKS::Cluster': 'Name',
  'AWS::EKS::Nodegroup': 'NodegroupName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::RDS::DBSubnetGroup': 'DBSubnetGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::WAFv2::WebACL': 'Name',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::Budgets::Budget': 'Budget.BudgetName',
  'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
};

function readPath(properties: Record<string, unknown>, path: string): unknown {
  let current: unknown = properties;
  for (const key of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export interface PhysicalContext {
  stackName: string;
  logicalId: string;
  accountId: string;
  region: string;
  random: SeededRandom;
}

/** A generated name like CloudFormation's: `<stack>-<logical>-<13 random>`, trimmed to fit. */
function generatedName(ctx: PhysicalContext, max = 64, lower = false): string {
  const suffix = ctx.random.upperAlnum(13);
  const base = `${ctx.stackName}-${ctx.logicalId}`.slice(0, max - 14);
  const name = `${base}-${suffix}`;
  return lower ? name.toLocaleLowerCase('en-US') : name;
}

/** The physical id CloudFormation reports (and `Ref` returns, for most types). */
export function physicalIdFor(
  type: string,
  properties: Record<string, unknown>,
  ctx: PhysicalContext,
): string {
  const nameProperty = NAME_PROPERTIES[type];
  const chosen = nameProperty ? readPath(properties, nameProperty) : undefined;
  const { random, accountId, region } = ctx;
  switch (type) {
    case 'AWS::EC2::VPC':
      return `vpc-${random.hex(17)}`;
    case 'AWS::EC2::Subnet':
      return `subnet-${random.hex(17)}`;
    case 'AWS::EC2::SecurityGroup':
      return `sg-${random.hex(17)}`;
    case 'AWS::EC2::InternetGateway':
      return `igw-${random.hex(17)}`;
    case 'AWS::EC2::NatGateway':
      return `nat-${random.hex(17)}`;
    case 'AWS::EC2::RouteTable':
      return `rtb-${random.hex(17)}`;
    case 'AWS::EC2::NetworkAcl':
      return `acl-${random.hex(17)}`;
    case 'AWS::EC2::VPCEndpoint':
      return `vpce-${random.hex(17)}`;
    case 'AWS::EC2::LaunchTemplate':
      return `lt-${random.hex(17)}`;
    case 'AWS::EC2::FlowLog':
      return `fl-${random.hex(17)}`;
    case 'AWS::EC2::EIP':
      return `3.${random.int(64, 127)}.${random.int(0, 255)}.${random.int(
        1,
        254,
      )}`;
    case 'AWS::EC2::SubnetRouteTableAssociation':
      return `rtbassoc-${random.hex(17)}`;
    case 'AWS::EC2::VPCGatewayAttachment':
    case 'AWS::EC2::Route':
      return `${ctx.stackName}-${ctx.logicalId}-${random.upperAlnum(12)}`.slice(
        0,
        64,
      );
    case 'AWS::EKS::Nodegroup': {
      const cluster = String(properties.ClusterName ?? 'cluster');
      const name =
        (chosen as string) ?? `${ctx.logicalId}-${random.upperAlnum(12)}`;
      return `${cluster}/${name}`;
    }
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
    case 'AWS::RDS::DBSubnetGroup':
      return chosen
        ? String(chosen).toLocaleLowerCase('en-US')
        : generatedName(ctx, 63, true);
    case 'AWS::S3::Bucket':
      return chosen ? String(chosen) : generatedName(ctx, 63, true);
    case 'AWS::KMS::Key':
      return random.uuid();
    case 'AWS::CloudFront::Distribution':
      return `E${random.upperAlnum(13)}`;
    case 'AWS::CloudFront::OriginAccessControl':
    case 'AWS::CloudFront::CachePolicy':
    case 'AWS::CloudFront::ResponseHeadersPolicy':
      return `E${random.upperAlnum(13)}`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/${String(
        chosen ?? generatedName(ctx, 32),
      ).slice(0, 32)}/${random.hex(16)}`;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${String(
        chosen ?? ctx.logicalId,
      ).slice(0, 32)}/${random.hex(16)}`;
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/${ctx.stackName.slice(
        0,
        32,
      )}/${random.hex(16)}/${random.hex(16)}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${accountId}:${
        chosen ?? generatedName(ctx, 256)
      }`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${region}:${accountId}:secret:${
        chosen ?? generatedName(ctx)
      }-${random.chars(
        'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
        6,
      )}`;
    case 'AWS::IAM::ManagedPolicy':
      return `arn:aws:iam::${accountId}:policy/${chosen ?? generatedName(ctx)}`;
    case 'AWS::IAM::OIDCProvider':
      return `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/${random.upperAlnum(
        32,
      )}`;
    case 'AWS::CertificateManager::Certificate':
      return `arn:aws:acm:us-east-1:${accountId}:certificate/${random.uuid()}`;
    case 'AWS::WAFv2::WebACL': {
      const name = String(chosen ?? generatedName(ctx, 128));
      const scope = String(properties.Scope ?? 'REGIONAL');
      return `${name}|${random.uuid()}|${scope}`;
    }
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${accountId}/${generatedName(
        ctx,
        80,
      )}`;
    case 'AWS::Backup::BackupPlan':
    case 'AWS::Backup::BackupSelection':
      return random.uuid();
    case 'AWS::SecretsManager::RotationSchedule':
    case 'AWS::SecretsManager::SecretTargetAttachment':
      return `arn:aws:secretsmanager:${region}:${accountId}:secret:${
        ctx.stackName
      }-${random.upperAlnum(6)}`;
    default:
      return chosen !== undefined && typeof chosen !== 'object'
        ? String(chosen)
        : generatedName(ctx);
  }
}

const ARN_SERVICE: Record<string, string> = {
  EC2: 'ec2',
  EKS: 'eks',
  RDS: 'rds',
  IAM: 'iam',
  KMS: 'kms',
  S3: 's3',
  Logs: 'logs',
  CloudWatch: 'cloudwatch',
  CloudFront: 'cloudfront',
  WAFv2: 'wafv2',
  Backup: 'backup',
  ECR: 'ecr',
  SNS: 'sns',
  CloudTrail: 'cloudtrail',
  Lambda: 'lambda',
};

/** The ARN of a resource, as GetAtt Arn and the tagging API show it. */
export function arnFor(
  type: string,
  physicalId: string,
  accountId: string,
  region: string,
): string {
  if (physicalId.startsWith('arn:')) return physicalId;
  const [, service, kind] = type.split('::');
  switch (type) {
    case 'AWS::EC2::VPC':
      return `arn:aws:ec2:${region}:${accountId}:vpc/${physicalId}`;
    case 'AWS::EC2::Subnet':
      return `arn:aws:ec2:${region}:${accountId}:subnet/${physicalId}`;
    case 'AWS::EC2::SecurityGroup':
      return `arn:aws:ec2:${region}:${accountId}:security-group/${physicalId}`;
    case 'AWS::EC2::NatGateway':
      return `arn:aws:ec2:${region}:${accountId}:natgateway/${physicalId}`;
    case 'AWS::EKS::Cluster':
      return `arn:aws:eks:${region}:${accountId}:cluster/${physicalId}`;
    case 'AWS::EKS::Nodegroup':
      return `arn:aws:eks:${region}:${accountId}:nodegroup/${physicalId}/${physicalId.length
        .toString(16)
        .padStart(8, '0')}-0000-0000-0000-000000000000`;
    case 'AWS::RDS::DBInstance':
      return `arn:aws:rds:${region}:${accountId}:db:${physicalId}`;
    case 'AWS::RDS::DBCluster':
      return `arn:aws:rds:${region}:${accountId}:cluster:${physicalId}`;
    case 'AWS::RDS::DBSubnetGroup':
      return `arn:aws:rds:${region}:${accountId}:subgrp:${physicalId}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${accountId}:role/${physicalId}`;
    case 'AWS::IAM::InstanceProfile':
      return `arn:aws:iam::${accountId}:instance-profile/${physicalId}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${region}:${accountId}:key/${physicalId}`;
    case 'AWS::KMS::Alias':
      return `arn:aws:kms:${region}:${accountId}:${physicalId}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${physicalId}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${region}:${accountId}:log-group:${physicalId}:*`;
    case 'AWS::CloudWatch::Alarm':
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${physicalId}`;
    case 'AWS::CloudFront::Distribution':
      return `arn:aws:cloudfront::${accountId}:distribution/${physicalId}`;
    case 'AWS::WAFv2::WebACL': {
      const [name, id, scope] = physicalId.split('|');
      return scope === 'CLOUDFRONT'
        ? `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/${name}/${id}`
        : `arn:aws:wafv2:${region}:${accountId}:regional/webacl/${name}/${id}`;
    }
    default: {
      const arnService =
        ARN_SERVICE[service] ??
        (service ?? 'cloudformation').toLocaleLowerCase('en-US');
      const resource = (kind ?? 'resource').toLocaleLowerCase('en-US');
      return `arn:aws:${arnService}:${region}:${accountId}:${resource}/${physicalId}`;
    }
  }
}

/** Fn::GetAtt values: the documented attributes of the common types, a plausible string for the rest. */
export function attributeFor(
  type: string,
  attribute: string,
  physicalId: string,
  properties: Record<string, unknown>,
  ctx: { accountId: string; region: string; random: SeededRandom },
): unknown {
  const { accountId, region, random } = ctx;
  if (attribute === 'Arn') return arnFor(type, physicalId, accountId, region);
  switch (`${type}.${attribute}`) {
    case 'AWS::EC2::VPC.CidrBlock':
      return properties.CidrBlock ?? '10.0.0.0/16';
    case 'AWS::EC2::VPC.VpcId':
    case 'AWS::EC2::Subnet.SubnetId':
    case 'AWS::EC2::SecurityGroup.GroupId':
    case 'AWS::EC2::NatGateway.NatGatewayId':
    case 'AWS::EC2::RouteTable.RouteTableId':
    case 'AWS::EC2::InternetGateway.InternetGatewayId':
      return physicalId;
    case 'AWS::EC2::VPC.DefaultSecurityGroup':
      return `sg-${random.hex(17)}`;
    case 'AWS::EC2::Subnet.AvailabilityZone':
      return properties.AvailabilityZone ?? `${region}a`;
    case 'AWS::EC2::EIP.AllocationId':
      return `eipalloc-${random.hex(17)}`;
    case 'AWS::EC2::EIP.PublicIp':
      return physicalId;
    case 'AWS::EKS::Cluster.Endpoint':
      return `https://${random.upperAlnum(32)}.gr7.${region}.eks.amazonaws.com`;
    case 'AWS::EKS::Cluster.CertificateAuthorityData':
      return Buffer.from(`simulated-ca-${physicalId}`).toString('base64');
    case 'AWS::EKS::Cluster.ClusterSecurityGroupId':
      return `sg-${random.hex(17)}`;
    case 'AWS::EKS::Cluster.OpenIdConnectIssuerUrl':
      return `https://oidc.eks.${region}.amazonaws.com/id/${random.upperAlnum(
        32,
      )}`;
    case 'AWS::EKS::Cluster.EncryptionConfigKeyArn':
      return `arn:aws:kms:${region}:${accountId}:key/${random.uuid()}`;
    case 'AWS::EKS::Nodegroup.NodegroupName':
      return physicalId.split('/')[1];
    case 'AWS::EKS::Nodegroup.ClusterName':
      return physicalId.split('/')[0];
    case 'AWS::RDS::DBInstance.Endpoint.Address':
      return `${physicalId}.${random.lowerAlnum(
        12,
      )}.${region}.rds.amazonaws.com`;
    case 'AWS::RDS::DBInstance.Endpoint.Port':
    case 'AWS::RDS::DBCluster.Endpoint.Port':
      return String(properties.Port ?? '5432');
    case 'AWS::RDS::DBInstance.DbiResourceId':
      return `db-${random.upperAlnum(26)}`;
    case 'AWS::RDS::DBCluster.Endpoint.Address':
      return `${physicalId}.cluster-${random.lowerAlnum(
        12,
      )}.${region}.rds.amazonaws.com`;
    case 'AWS::RDS::DBCluster.ReadEndpoint.Address':
      return `${physicalId}.cluster-ro-${random.lowerAlnum(
        12,
      )}.${region}.rds.amazonaws.com`;
    case 'AWS::RDS::DBInstance.MasterUserSecret.SecretArn':
    case 'AWS::RDS::DBCluster.MasterUserSecret.SecretArn':
      return `arn:aws:secretsmanager:${region}:${accountId}:secret:rds!db-${random.uuid()}-${random.lowerAlnum(
        6,
      )}`;
    case 'AWS::CloudFront::Distribution.DomainName':
      return `d${random.lowerAlnum(13)}.cloudfront.net`;
    case 'AWS::CloudFront::Distribution.Id':
      return physicalId;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
      return `${physicalId.split('/')[2]}-${random.int(
        100000000,
        999999999,
      )}.${region}.elb.amazonaws.com`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.CanonicalHostedZoneID':
      return 'Z215JYRZR1TBD5';
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
      return physicalId.split(':loadbalancer/')[1];
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName':
      return physicalId.split(':')[5];
    case 'AWS::KMS::Key.KeyId':
      return physicalId;
    case 'AWS::S3::Bucket.DomainName':
      return `${physicalId}.s3.amazonaws.com`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${physicalId}.s3.${region}.amazonaws.com`;
    case 'AWS::WAFv2::WebACL.Id':
      return physicalId.split('|')[1];
    case 'AWS::SNS::Topic.TopicArn':
    case 'AWS::SNS::Topic.TopicName':
      return attribute === 'TopicArn'
        ? physicalId
        : physicalId.split(':').pop();
    case 'AWS::SecretsManager::Secret.Id':
      return physicalId;
    case 'AWS::IAM::Role.RoleId':
      return `AROA${random.upperAlnum(17)}`;
    case 'AWS::ECR::Repository.RepositoryUri':
      return `${accountId}.dkr.ecr.${region}.amazonaws.com/${physicalId}`;
    default:
      return `${physicalId}-${attribute}`;
  }
}
