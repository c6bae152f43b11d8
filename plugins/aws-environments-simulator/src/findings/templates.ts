/** The kinds of findings the simulated security services report, and the vocabulary they share. */
import type { ResourceRecord } from '../cloudformation/model';
import type { EnvironmentInfo } from '../inventory';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
export type Product = 'GuardDuty' | 'Inspector' | 'Security Hub';

export const NORMALIZED: Record<Severity, number> = {
  CRITICAL: 90,
  HIGH: 70,
  MEDIUM: 40,
  LOW: 1,
  INFORMATIONAL: 0,
};
export const GUARDDUTY_SEVERITY: Record<Severity, number> = {
  CRITICAL: 9,
  HIGH: 8,
  MEDIUM: 5,
  LOW: 2,
  INFORMATIONAL: 1,
};

export type Target =
  | 'instance'
  | 'cluster'
  | 'database'
  | 'bucket'
  | 'securityGroup'
  | 'distribution'
  | 'vpc'
  | 'image'
  | 'loadBalancer'
  | 'key';

export interface FindingTemplate {
  product: Product;
  severity: Severity;
  target: Target;
  title: (resourceId: string) => string;
  description: string;
  type: string;
  /** Security Hub control id, or GuardDuty finding type, or CVE. */
  code: string;
  packageName?: string;
  /** Stages whose environments may carry the finding (every stage when absent). */
  stages?: string[];
  /**
   * Whether a CloudFormation resource of the target type fails the check, from its properties and the rest of its
   * environment; for worker nodes and images (launched by node groups, not by CloudFormation) the resource is the
   * cluster that runs them. Absent: any resource may carry the finding (threats and vulnerabilities seen at run
   * time, which no template property rules out).
   */
  fails?: (resource: ResourceRecord, context: CheckContext) => boolean;
}

export interface CheckContext {
  info: EnvironmentInfo;
  /** Epoch ms the check runs at. */
  now: number;
}

export const ASFF_TYPE: Record<Target, string> = {
  instance: 'AwsEc2Instance',
  cluster: 'AwsEksCluster',
  database: 'AwsRdsDbInstance',
  bucket: 'AwsS3Bucket',
  securityGroup: 'AwsEc2SecurityGroup',
  distribution: 'AwsCloudFrontDistribution',
  vpc: 'AwsEc2Vpc',
  image: 'AwsEcrContainerImage',
  loadBalancer: 'AwsElbv2LoadBalancer',
  key: 'AwsKmsKey',
};

export const CFN_TYPE: Partial<Record<Target, string>> = {
  cluster: 'AWS::EKS::Cluster',
  database: 'AWS::RDS::DBInstance',
  bucket: 'AWS::S3::Bucket',
  securityGroup: 'AWS::EC2::SecurityGroup',
  distribution: 'AWS::CloudFront::Distribution',
  vpc: 'AWS::EC2::VPC',
  loadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  key: 'AWS::KMS::Key',
};
