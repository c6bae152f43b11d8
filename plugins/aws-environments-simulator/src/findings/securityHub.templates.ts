import {
  deniesInsecureTransport,
  dropsInvalidHeaders,
  hasFlowLog,
  isFalse,
  isTrue,
  keepsBackupsTooShortly,
  nearEndOfStandardSupport,
  opensHighRiskPort,
  record,
} from './checks';
import type { FindingTemplate } from './templates';

/**
 * Security Hub CSPM controls of AWS Foundational Security Best Practices. Each one fails only for a resource whose
 * properties (as its stack created them) break the control, so that a finding never contradicts the stacks.
 */
export const SECURITY_HUB_TEMPLATES: FindingTemplate[] = [
  {
    product: 'Security Hub',
    severity: 'CRITICAL',
    target: 'securityGroup',
    code: 'EC2.19',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'Security groups should not allow unrestricted access to ports with high risk',
    description:
      'The security group allows unrestricted incoming traffic to a high-risk port.',
    fails: (resource, context) => opensHighRiskPort(resource, context.info),
  },
  {
    product: 'Security Hub',
    severity: 'HIGH',
    target: 'cluster',
    code: 'EKS.1',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'EKS cluster endpoints should not be publicly accessible',
    description:
      'The Kubernetes API endpoint of the cluster is reachable from the internet.',
    fails: resource =>
      !isFalse(
        record(resource.properties.ResourcesVpcConfig).EndpointPublicAccess,
      ),
  },
  {
    product: 'Security Hub',
    severity: 'HIGH',
    target: 'cluster',
    code: 'EKS.2',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'EKS clusters should run on a supported Kubernetes version',
    description:
      'The cluster runs a Kubernetes version close to the end of standard support.',
    fails: (resource, context) =>
      nearEndOfStandardSupport(resource, context.now),
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'bucket',
    code: 'S3.5',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'S3 general purpose buckets should require requests to use SSL',
    description:
      'The bucket policy does not deny requests made over plain HTTP.',
    fails: (resource, context) =>
      !deniesInsecureTransport(resource, context.info),
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'vpc',
    code: 'EC2.6',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'VPC flow logging should be enabled in all VPCs',
    description: 'The VPC has no flow log capturing rejected traffic.',
    fails: (resource, context) => !hasFlowLog(resource, context.info),
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'loadBalancer',
    code: 'ELB.4',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'Application Load Balancer should be configured to drop invalid http headers',
    description: 'The load balancer forwards HTTP headers with invalid names.',
    fails: resource => !dropsInvalidHeaders(resource),
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'database',
    code: 'RDS.11',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'RDS instances should have automatic backups enabled',
    description:
      'The backup retention period of the DB instance is shorter than 7 days.',
    fails: resource => keepsBackupsTooShortly(resource),
  },
  {
    product: 'Security Hub',
    severity: 'LOW',
    target: 'database',
    code: 'RDS.6',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'Enhanced monitoring should be configured for RDS DB instances',
    description: 'Enhanced Monitoring is not enabled on the DB instance.',
    fails: resource => !(Number(resource.properties.MonitoringInterval) > 0),
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'key',
    code: 'KMS.4',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'AWS KMS key rotation should be enabled',
    description: 'Automatic rotation is disabled for the customer managed key.',
    fails: resource => !isTrue(resource.properties.EnableKeyRotation),
  },
  {
    product: 'Security Hub',
    severity: 'HIGH',
    target: 'distribution',
    code: 'CloudFront.1',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'CloudFront distributions should have a default root object configured',
    description: 'The distribution has no default root object.',
    fails: resource =>
      !record(resource.properties.DistributionConfig).DefaultRootObject,
  },
  {
    product: 'Security Hub',
    severity: 'INFORMATIONAL',
    target: 'bucket',
    code: 'S3.9',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () =>
      'S3 general purpose buckets should have server access logging enabled',
    description: 'Server access logging is disabled for the bucket.',
    fails: resource => !resource.properties.LoggingConfiguration,
  },
];
