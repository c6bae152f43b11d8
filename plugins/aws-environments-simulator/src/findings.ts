/**
 * Security findings of the simulated organization, in AWS Security Finding Format, with GuardDuty's and Inspector's
 * own views of the same findings. Resources are the environments' real (simulated) resources, tagged like them.
 */
import type { CloudFormationEngine } from './cloudformation/engine';
import { arnFor } from './cloudformation/resourceTypes';
import { awsError } from './errors';
import {
  environments,
  environmentResources,
  type EnvironmentInfo,
} from './inventory';
import { hashSeed, SeededRandom } from './random';
import type { CommandContext, CommandHandlers } from './types';

type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
type Product = 'GuardDuty' | 'Inspector' | 'Security Hub';

const NORMALIZED: Record<Severity, number> = {
  CRITICAL: 90,
  HIGH: 70,
  MEDIUM: 40,
  LOW: 1,
  INFORMATIONAL: 0,
};
const GUARDDUTY_SEVERITY: Record<Severity, number> = {
  CRITICAL: 9,
  HIGH: 8,
  MEDIUM: 5,
  LOW: 2,
  INFORMATIONAL: 1,
};

type Target =
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

interface FindingTemplate {
  product: Product;
  severity: Severity;
  target: Target;
  title: (resourceId: string) => string;
  description: string;
  type: string;
  /** Security Hub control id, or GuardDuty finding type, or CVE. */
  code: string;
  packageName?: string;
  stages?: string[];
}

const TEMPLATES: FindingTemplate[] = [
  // GuardDuty
  {
    product: 'GuardDuty',
    severity: 'HIGH',
    target: 'instance',
    code: 'UnauthorizedAccess:EC2/SSHBruteForce',
    type: 'TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce',
    title: id =>
      `185.220.101.34 is performing SSH brute force attacks against ${id}.`,
    description:
      'A remote host is trying to guess SSH credentials of the instance.',
  },
  {
    product: 'GuardDuty',
    severity: 'MEDIUM',
    target: 'instance',
    code: 'Recon:EC2/PortProbeUnprotectedPort',
    type: 'TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort',
    title: id => `Unprotected port on EC2 instance ${id} is being probed.`,
    description:
      'A known scanner probes a port the security group leaves open.',
  },
  {
    product: 'GuardDuty',
    severity: 'HIGH',
    target: 'instance',
    code: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    type: 'TTPs/Command and Control/CryptoCurrency:EC2-BitcoinTool.B!DNS',
    title: id =>
      `EC2 instance ${id} is querying a domain name associated with Bitcoin-related activity.`,
    description:
      'The instance resolves domains of cryptocurrency mining pools.',
    stages: ['dev'],
  },
  {
    product: 'GuardDuty',
    severity: 'HIGH',
    target: 'cluster',
    code: 'Policy:Kubernetes/AnonymousAccessGranted',
    type: 'TTPs/Persistence/Policy:Kubernetes-AnonymousAccessGranted',
    title: id =>
      `The system:anonymous user was granted API permission on EKS cluster ${id}.`,
    description:
      'A role binding grants the anonymous user access to the Kubernetes API.',
  },
  {
    product: 'GuardDuty',
    severity: 'MEDIUM',
    target: 'cluster',
    code: 'Discovery:Kubernetes/SuccessfulAnonymousAccess',
    type: 'TTPs/Discovery/Discovery:Kubernetes-SuccessfulAnonymousAccess',
    title: id =>
      `An API commonly used to discover resources was invoked by the system:anonymous user on EKS cluster ${id}.`,
    description:
      'Unauthenticated discovery calls succeeded against the cluster.',
  },
  {
    product: 'GuardDuty',
    severity: 'MEDIUM',
    target: 'instance',
    code: 'Execution:Runtime/NewBinaryExecuted',
    type: 'TTPs/Execution/Execution:Runtime-NewBinaryExecuted',
    title: id =>
      `A newly created or recently modified binary file has been executed on ${id}.`,
    description:
      'Runtime Monitoring saw a binary run that did not exist when the container started.',
  },
  {
    product: 'GuardDuty',
    severity: 'LOW',
    target: 'instance',
    code: 'Recon:EC2/Portscan',
    type: 'TTPs/Discovery/Recon:EC2-Portscan',
    title: id =>
      `EC2 instance ${id} is performing outbound port scans against remote hosts.`,
    description:
      'The instance contacted many ports of remote hosts in a short time.',
  },
  // Inspector
  {
    product: 'Inspector',
    severity: 'CRITICAL',
    target: 'image',
    code: 'CVE-2024-45337',
    packageName: 'golang.org/x/crypto',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2024-45337 - golang.org/x/crypto',
    description:
      'Misuse of ServerConfig.PublicKeyCallback may cause authorization bypass in golang.org/x/crypto.',
  },
  {
    product: 'Inspector',
    severity: 'HIGH',
    target: 'instance',
    code: 'CVE-2024-6387',
    packageName: 'openssh',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2024-6387 - openssh',
    description:
      'A signal handler race condition in sshd (regreSSHion) allows unauthenticated remote code execution.',
  },
  {
    product: 'Inspector',
    severity: 'HIGH',
    target: 'image',
    code: 'CVE-2023-44487',
    packageName: 'golang.org/x/net',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2023-44487 - golang.org/x/net',
    description:
      'The HTTP/2 protocol allows a denial of service (rapid reset) because request cancellation can reset many streams quickly.',
  },
  {
    product: 'Inspector',
    severity: 'HIGH',
    target: 'instance',
    code: 'CVE-2024-21626',
    packageName: 'runc',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2024-21626 - runc',
    description:
      'An internal file descriptor leak in runc allows a container process to access the host filesystem.',
  },
  {
    product: 'Inspector',
    severity: 'MEDIUM',
    target: 'image',
    code: 'CVE-2023-38545',
    packageName: 'curl',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2023-38545 - curl',
    description:
      'A heap buffer overflow in the SOCKS5 proxy handshake of curl.',
  },
  {
    product: 'Inspector',
    severity: 'MEDIUM',
    target: 'instance',
    code: 'CVE-2023-4911',
    packageName: 'glibc',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2023-4911 - glibc',
    description:
      'A buffer overflow in the GNU C Library dynamic loader (Looney Tunables) allows local privilege escalation.',
  },
  {
    product: 'Inspector',
    severity: 'LOW',
    target: 'image',
    code: 'CVE-2024-2511',
    packageName: 'openssl',
    type: 'Software and Configuration Checks/Vulnerabilities/CVE',
    title: () => 'CVE-2024-2511 - openssl',
    description: 'Unbounded memory growth with session handling in TLSv1.3.',
  },
  // Security Hub CSPM standards controls
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
    stages: ['dev', 'staging'],
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
    stages: ['dev'],
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
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'vpc',
    code: 'EC2.6',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'VPC flow logging should be enabled in all VPCs',
    description: 'The VPC has no flow log capturing rejected traffic.',
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
    stages: ['dev', 'staging'],
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
  },
  {
    product: 'Security Hub',
    severity: 'MEDIUM',
    target: 'key',
    code: 'KMS.4',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    title: () => 'AWS KMS key rotation should be enabled',
    description: 'Automatic rotation is disabled for the customer managed key.',
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
  },
];

const ASFF_TYPE: Record<Target, string> = {
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

const CFN_TYPE: Partial<Record<Target, string>> = {
  cluster: 'AWS::EKS::Cluster',
  database: 'AWS::RDS::DBInstance',
  bucket: 'AWS::S3::Bucket',
  securityGroup: 'AWS::EC2::SecurityGroup',
  distribution: 'AWS::CloudFront::Distribution',
  vpc: 'AWS::EC2::VPC',
  loadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  key: 'AWS::KMS::Key',
};

/** Internal form of one finding, from which every product's view is rendered. */
export interface SimulatedFinding {
  template: FindingTemplate;
  environment?: string;
  accountId: string;
  region: string;
  resourceArn: string;
  resourceId: string;
  resourceType: string;
  tags: Record<string, string>;
  firstObservedAt: number;
  updatedAt: number;
  workflowStatus: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
  recordState: 'ACTIVE' | 'ARCHIVED';
  guardDutyId: string;
  detectorId: string;
  asffId: string;
}

const DAY = 86_400_000;

/** The first choice whose cumulative weight exceeds `roll` (weights sum to 1). */
function pickWeighted<T>(
  roll: number,
  choices: ReadonlyArray<readonly [T, number]>,
): T {
  let cumulative = 0;
  for (const [choice, weight] of choices) {
    cumulative += weight;
    if (roll < cumulative) return choice;
  }
  return choices[choices.length - 1][0];
}

const PRODUCT_ARN_NAME: Record<Product, string> = {
  GuardDuty: 'guardduty',
  Inspector: 'inspector',
  'Security Hub': 'securityhub',
};

const WORKFLOW_STATE: Record<SimulatedFinding['workflowStatus'], string> = {
  NEW: 'NEW',
  NOTIFIED: 'ASSIGNED',
  RESOLVED: 'RESOLVED',
  SUPPRESSED: 'ASSIGNED',
};

const INSPECTOR_STATUS: Record<SimulatedFinding['workflowStatus'], string> = {
  NEW: 'ACTIVE',
  NOTIFIED: 'ACTIVE',
  RESOLVED: 'CLOSED',
  SUPPRESSED: 'SUPPRESSED',
};

export function detectorIdFor(
  seed: number,
  accountId: string,
  region: string,
): string {
  return SeededRandom.for(seed, 'detector', accountId, region).hex(32);
}

function resourceFor(
  info: EnvironmentInfo,
  target: Target,
  random: SeededRandom,
): { id: string; arn: string; tags: Record<string, string> } {
  const envTags = Object.fromEntries(
    info.stacks[0].definition.tags.map(t => [t.Key, t.Value]),
  );
  const cfnType = CFN_TYPE[target];
  if (cfnType) {
    const candidates = environmentResources(info, cfnType);
    if (candidates.length > 0) {
      const resource = random.pick(candidates);
      const arn = arnFor(
        resource.type,
        resource.physicalId!,
        info.accountId,
        info.region,
      );
      const tags = {
        ...envTags,
        ...Object.fromEntries(resource.tags.map(t => [t.Key, t.Value])),
      };
      return {
        id:
          target === 'bucket' || target === 'database' || target === 'cluster'
            ? resource.physicalId!
            : arn,
        arn,
        tags,
      };
    }
  }
  if (target === 'image') {
    const digest = random.hex(64);
    const repo = random.pick(['innovate/web-frontend', 'innovate/api']);
    const arn = `arn:aws:ecr:${info.region}:111111111111:repository/${repo}/sha256:${digest}`;
    return { id: arn, arn, tags: envTags };
  }
  // Worker nodes are not CloudFormation resources (the node group's Auto Scaling group launches them).
  const instanceId = `i-0${random.hex(16)}`;
  const arn = `arn:aws:ec2:${info.region}:${info.accountId}:instance/${instanceId}`;
  return {
    id: instanceId,
    arn,
    tags: { ...envTags, 'eks:nodegroup-name': `${info.name}-backend` },
  };
}

/** The findings of one environment: a stable handful, more in bigger, older environments. */
function environmentFindings(
  seed: number,
  info: EnvironmentInfo,
  now: number,
  seeded: boolean,
): SimulatedFinding[] {
  const random = SeededRandom.for(seed, 'findings', info.name, info.createdAt);
  const eligible = TEMPLATES.filter(
    t => !t.stages || t.stages.includes(info.stage),
  );
  const count = seeded
    ? { prod: 13, staging: 11, dev: 10 }[info.stage] ?? 10
    : random.int(2, 4);
  const chosen = [...eligible]
    .sort(
      (a, b) =>
        hashSeed(seed, info.name, a.code) - hashSeed(seed, info.name, b.code),
    )
    .slice(0, count);
  const detectorId = detectorIdFor(seed, info.accountId, info.region);
  return chosen.map((template, index) => {
    const r = SeededRandom.for(seed, 'finding', info.name, template.code);
    const resource = resourceFor(info, template.target, r);
    const ageDays = Math.max(
      0,
      Math.min((now - info.createdAt) / DAY - 1, r.between(1, 60)),
    );
    const firstObservedAt = now - ageDays * DAY;
    const updatedAt = Math.min(
      now,
      firstObservedAt + r.between(0, ageDays) * DAY,
    );
    const workflowStatus = pickWeighted(r.next(), [
      ['NEW', 0.6],
      ['NOTIFIED', 0.2],
      ['RESOLVED', 0.12],
      ['SUPPRESSED', 0.08],
    ] as const);
    const guardDutyId = r.hex(32);
    const asffIds: Record<Product, () => string> = {
      GuardDuty: () =>
        `arn:aws:guardduty:${info.region}:${info.accountId}:detector/${detectorId}/finding/${guardDutyId}`,
      Inspector: () =>
        `arn:aws:inspector2:${info.region}:${info.accountId}:finding/${guardDutyId}`,
      'Security Hub': () =>
        `arn:aws:securityhub:${info.region}:${
          info.accountId
        }:subscription/aws-foundational-security-best-practices/v/1.0.0/${
          template.code
        }/finding/${r.uuid()}`,
    };
    const asffId = asffIds[template.product]();
    return {
      template,
      environment: info.name,
      accountId: info.accountId,
      region: info.region,
      resourceArn: resource.arn,
      resourceId: resource.id,
      resourceType: ASFF_TYPE[template.target],
      tags: resource.tags,
      firstObservedAt,
      updatedAt,
      workflowStatus,
      recordState:
        workflowStatus === 'RESOLVED' && index % 2 === 0
          ? 'ARCHIVED'
          : 'ACTIVE',
      guardDutyId,
      detectorId,
      asffId,
    } satisfies SimulatedFinding;
  });
}

/** Account-level findings that belong to no environment. */
function accountFindings(
  seed: number,
  accountId: string,
  region: string,
  now: number,
): SimulatedFinding[] {
  const r = SeededRandom.for(seed, 'account-findings', accountId);
  const template: FindingTemplate = {
    product: 'Security Hub',
    severity: 'CRITICAL',
    target: 'key',
    code: 'IAM.6',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
    title: () => 'Hardware MFA should be enabled for the root user',
    description:
      'The root user of the account signs in without a hardware MFA device.',
  };
  return [
    {
      template,
      accountId,
      region,
      resourceArn: `arn:aws:iam::${accountId}:root`,
      resourceId: `AWS::::Account:${accountId}`,
      resourceType: 'AwsAccount',
      tags: {},
      firstObservedAt: now - 75 * DAY,
      updatedAt: now - 2 * DAY,
      workflowStatus: 'NOTIFIED',
      recordState: 'ACTIVE',
      guardDutyId: r.hex(32),
      detectorId: detectorIdFor(seed, accountId, region),
      asffId: `arn:aws:securityhub:${region}:${accountId}:subscription/cis-aws-foundations-benchmark/v/1.4.0/1.6/finding/${r.uuid()}`,
    },
  ];
}

export class FindingsModel {
  private readonly cache = new Map<string, SimulatedFinding[]>();

  constructor(
    private readonly engine: CloudFormationEngine,
    private readonly seed: number,
    private readonly seededEnvironments: ReadonlySet<string>,
  ) {}

  list(accountId: string, region: string, now: number): SimulatedFinding[] {
    const day = Math.floor(now / DAY);
    const out: SimulatedFinding[] = accountFindings(
      this.seed,
      accountId,
      region,
      day * DAY,
    );
    for (const info of environments(this.engine, { accountId, region })) {
      const key = `${info.name}@${info.createdAt}@${day}`;
      let findings = this.cache.get(key);
      if (!findings) {
        findings = environmentFindings(
          this.seed,
          info,
          day * DAY,
          this.seededEnvironments.has(info.name),
        );
        this.cache.set(key, findings);
      }
      out.push(...findings);
    }
    return out.sort(
      (a, b) => b.updatedAt - a.updatedAt || a.asffId.localeCompare(b.asffId),
    );
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toAsff(f: SimulatedFinding) {
  const t = f.template;
  const productArn = `arn:aws:securityhub:${f.region}::product/aws/${
    PRODUCT_ARN_NAME[t.product]
  }`;
  return {
    SchemaVersion: '2018-10-08',
    Id: f.asffId,
    ProductArn: productArn,
    ProductName: t.product,
    CompanyName: 'AWS',
    Region: f.region,
    GeneratorId:
      t.product === 'Security Hub'
        ? `aws-foundational-security-best-practices/v/1.0.0/${t.code}`
        : t.code,
    AwsAccountId: f.accountId,
    Types: [t.type],
    FirstObservedAt: iso(f.firstObservedAt),
    LastObservedAt: iso(f.updatedAt),
    CreatedAt: iso(f.firstObservedAt),
    UpdatedAt: iso(f.updatedAt),
    Severity: {
      Label: t.severity,
      Normalized: NORMALIZED[t.severity],
      Original:
        t.product === 'GuardDuty'
          ? String(GUARDDUTY_SEVERITY[t.severity])
          : t.severity,
    },
    Title: t.title(f.resourceId),
    Description: t.description,
    Remediation: {
      Recommendation: {
        Text:
          t.product === 'Security Hub'
            ? `For information on how to correct this issue, consult the AWS Security Hub controls documentation for ${t.code}.`
            : 'Review the finding and follow the remediation guidance of the product.',
        Url:
          t.product === 'Security Hub'
            ? `https://docs.aws.amazon.com/console/securityhub/${t.code}/remediation`
            : undefined,
      },
    },
    ProductFields: {
      'aws/securityhub/ProductName': t.product,
      'aws/securityhub/CompanyName': 'AWS',
    },
    Resources: [
      {
        Type: f.resourceType,
        Id: f.resourceArn,
        Partition: 'aws',
        Region: f.region,
        ...(Object.keys(f.tags).length ? { Tags: f.tags } : {}),
      },
    ],
    ...(t.product === 'Security Hub'
      ? {
          Compliance: {
            Status: f.workflowStatus === 'RESOLVED' ? 'PASSED' : 'FAILED',
            SecurityControlId: t.code,
          },
        }
      : {}),
    ...(t.product === 'Inspector'
      ? {
          Vulnerabilities: [
            {
              Id: t.code,
              VulnerablePackages: [{ Name: t.packageName }],
              FixAvailable: 'YES',
            },
          ],
        }
      : {}),
    WorkflowState: WORKFLOW_STATE[f.workflowStatus],
    Workflow: { Status: f.workflowStatus },
    RecordState: f.recordState,
    FindingProviderFields: {
      Severity: { Label: t.severity, Original: t.severity },
      Types: [t.type],
    },
    ProcessedAt: iso(f.updatedAt),
  };
}

type StringFilter = { Value?: string; Comparison?: string };
type MapFilter = { Key?: string; Value?: string; Comparison?: string };

function stringFilterMatches(
  filters: StringFilter[] | undefined,
  value: string | undefined,
): boolean {
  if (!filters?.length) return true;
  const positive = filters.filter(
    f =>
      !f.Comparison?.startsWith('NOT_') && f.Comparison !== 'PREFIX_NOT_EQUALS',
  );
  const negative = filters.filter(
    f =>
      f.Comparison?.startsWith('NOT_') || f.Comparison === 'PREFIX_NOT_EQUALS',
  );
  const test = (f: StringFilter) => {
    const v = value ?? '';
    const target = f.Value ?? '';
    switch (f.Comparison) {
      case 'PREFIX':
      case 'PREFIX_NOT_EQUALS':
        return v.startsWith(target);
      case 'CONTAINS':
      case 'NOT_CONTAINS':
        return v.includes(target);
      default:
        return v === target;
    }
  };
  return (
    (positive.length === 0 || positive.some(test)) &&
    negative.every(f => !test(f))
  );
}

function mapFilterMatches(
  filters: MapFilter[] | undefined,
  map: Record<string, string>,
): boolean {
  if (!filters?.length) return true;
  const positive = filters.filter(
    f => f.Comparison !== 'NOT_EQUALS' && f.Comparison !== 'NOT_CONTAINS',
  );
  const negative = filters.filter(
    f => f.Comparison === 'NOT_EQUALS' || f.Comparison === 'NOT_CONTAINS',
  );
  const test = (f: MapFilter) => {
    const v = map[f.Key ?? ''];
    if (v === undefined) return false;
    return f.Comparison?.includes('CONTAINS')
      ? v.includes(f.Value ?? '')
      : v === f.Value;
  };
  return (
    (positive.length === 0 || positive.some(test)) &&
    negative.every(f => !test(f))
  );
}

function pageOf<T>(
  items: T[],
  token: string | undefined,
  size: number,
  service: string,
) {
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) {
      throw awsError(
        service,
        service === 'securityhub'
          ? 'InvalidInputException'
          : 'ValidationException',
        'The NextToken is not valid',
      );
    }
  }
  const slice = items.slice(start, start + size);
  const next =
    start + size < items.length
      ? Buffer.from(String(start + size)).toString('base64')
      : undefined;
  return { slice, next };
}

export function securityHubHandlers(model: FindingsModel): CommandHandlers {
  return {
    GetFindings: (
      ctx: CommandContext,
      input: {
        Filters?: Record<string, any>;
        MaxResults?: number;
        NextToken?: string;
        SortCriteria?: Array<{ Field?: string; SortOrder?: string }>;
      },
    ) => {
      const max = input.MaxResults ?? 100;
      if (max < 1 || max > 100) {
        throw awsError(
          'securityhub',
          'InvalidInputException',
          'MaxResults must be between 1 and 100',
        );
      }
      const f = input.Filters ?? {};
      let findings = model
        .list(ctx.accountId, ctx.region, ctx.now())
        .map(toAsff);
      findings = findings.filter(
        a =>
          stringFilterMatches(f.ProductName, a.ProductName) &&
          stringFilterMatches(f.SeverityLabel, a.Severity.Label) &&
          stringFilterMatches(f.WorkflowStatus, a.Workflow.Status) &&
          stringFilterMatches(f.RecordState, a.RecordState) &&
          stringFilterMatches(f.AwsAccountId, a.AwsAccountId) &&
          stringFilterMatches(f.Region, a.Region) &&
          stringFilterMatches(f.ResourceType, a.Resources[0].Type) &&
          stringFilterMatches(f.ResourceId, a.Resources[0].Id) &&
          stringFilterMatches(
            f.ComplianceStatus,
            (a as any).Compliance?.Status,
          ) &&
          stringFilterMatches(f.Title, a.Title) &&
          stringFilterMatches(f.Id, a.Id) &&
          stringFilterMatches(f.GeneratorId, a.GeneratorId) &&
          stringFilterMatches(f.Type, a.Types[0]) &&
          mapFilterMatches(f.ResourceTags, a.Resources[0].Tags ?? {}),
      );
      const sort = input.SortCriteria?.[0];
      if (sort?.Field) {
        const field = sort.Field;
        const special: Record<string, (a: any) => unknown> = {
          SeverityNormalized: a => a.Severity.Normalized,
          SeverityLabel: a => a.Severity.Label,
        };
        const value = (a: any) =>
          String((special[field] ?? ((x: any) => x[field]))(a) ?? '');
        const direction = sort.SortOrder === 'asc' ? 1 : -1;
        findings.sort(
          (x, y) =>
            direction *
            value(x).localeCompare(value(y), 'en', { numeric: true }),
        );
      }
      const { slice, next } = pageOf(
        findings,
        input.NextToken,
        max,
        'securityhub',
      );
      return { Findings: slice, ...(next ? { NextToken: next } : {}) };
    },
  };
}

export function guardDutyHandlers(
  model: FindingsModel,
  seed: number,
): CommandHandlers {
  const own = (ctx: CommandContext, detectorId: string | undefined) => {
    if (detectorId !== detectorIdFor(seed, ctx.accountId, ctx.region)) {
      throw awsError(
        'guardduty',
        'BadRequestException',
        `The request is rejected because the input detectorId is not owned by the current account.`,
      );
    }
    return model
      .list(ctx.accountId, ctx.region, ctx.now())
      .filter(f => f.template.product === 'GuardDuty');
  };
  const view = (f: SimulatedFinding) => {
    const t = f.template;
    const isCluster = t.target === 'cluster';
    const tags = Object.entries(f.tags).map(([Key, Value]) => ({ Key, Value }));
    return {
      AccountId: f.accountId,
      Arn: f.asffId,
      CreatedAt: iso(f.firstObservedAt),
      Description: t.description,
      Id: f.guardDutyId,
      Partition: 'aws',
      Region: f.region,
      Resource: isCluster
        ? {
            ResourceType: 'EKSCluster',
            EksClusterDetails: {
              Name: f.resourceId,
              Arn: f.resourceArn,
              Status: 'ACTIVE',
              Tags: tags,
            },
          }
        : {
            ResourceType: 'Instance',
            InstanceDetails: {
              InstanceId: f.resourceId,
              InstanceState: 'running',
              Tags: tags,
            },
          },
      SchemaVersion: '2.0',
      Service: {
        ServiceName: 'guardduty',
        DetectorId: f.detectorId,
        Archived: f.recordState === 'ARCHIVED',
        Count: 1 + (hashSeed(seed, f.guardDutyId) % 40),
        EventFirstSeen: iso(f.firstObservedAt),
        EventLastSeen: iso(f.updatedAt),
        ResourceRole: 'TARGET',
      },
      Severity: GUARDDUTY_SEVERITY[t.severity],
      Title: t.title(f.resourceId),
      Type: t.code,
      UpdatedAt: iso(f.updatedAt),
    };
  };
  type Condition = {
    Eq?: string[];
    Neq?: string[];
    Gt?: number;
    Gte?: number;
    Lt?: number;
    Lte?: number;
    Equals?: string[];
    NotEquals?: string[];
    GreaterThanOrEqual?: number;
  };
  const criterionMatches = (
    finding: ReturnType<typeof view>,
    field: string,
    condition: Condition,
  ): boolean => {
    let values: Array<string | number>;
    switch (field) {
      case 'severity':
        values = [finding.Severity];
        break;
      case 'type':
        values = [finding.Type];
        break;
      case 'service.archived':
        values = [String(finding.Service.Archived)];
        break;
      case 'resource.resourceType':
        values = [finding.Resource.ResourceType];
        break;
      case 'accountId':
        values = [finding.AccountId];
        break;
      case 'resource.instanceDetails.tags.value':
      case 'resource.eksClusterDetails.tags.value':
        values = (
          (finding.Resource as any).InstanceDetails ??
          (finding.Resource as any).EksClusterDetails
        ).Tags.map((t: { Value: string }) => t.Value);
        break;
      case 'resource.instanceDetails.tags.key':
      case 'resource.eksClusterDetails.tags.key':
        values = (
          (finding.Resource as any).InstanceDetails ??
          (finding.Resource as any).EksClusterDetails
        ).Tags.map((t: { Key: string }) => t.Key);
        break;
      default:
        throw awsError(
          'guardduty',
          'BadRequestException',
          `The simulated GuardDuty does not support the criterion ${field}`,
        );
    }
    const eq = condition.Eq ?? condition.Equals;
    const neq = condition.Neq ?? condition.NotEquals;
    const gte = condition.Gte ?? condition.GreaterThanOrEqual;
    return (
      (!eq || values.some(v => eq.includes(String(v)))) &&
      (!neq || values.every(v => !neq.includes(String(v)))) &&
      (gte === undefined || values.some(v => Number(v) >= gte)) &&
      (condition.Gt === undefined ||
        values.some(v => Number(v) > condition.Gt!)) &&
      (condition.Lt === undefined ||
        values.some(v => Number(v) < condition.Lt!)) &&
      (condition.Lte === undefined ||
        values.some(v => Number(v) <= condition.Lte!))
    );
  };
  return {
    ListDetectors: (ctx: CommandContext) => ({
      DetectorIds: [detectorIdFor(seed, ctx.accountId, ctx.region)],
    }),
    ListFindings: (
      ctx: CommandContext,
      input: {
        DetectorId?: string;
        FindingCriteria?: { Criterion?: Record<string, Condition> };
        MaxResults?: number;
        NextToken?: string;
      },
    ) => {
      const max = input.MaxResults ?? 50;
      if (max < 1 || max > 50)
        throw awsError(
          'guardduty',
          'BadRequestException',
          'MaxResults must be between 1 and 50',
        );
      const criteria = Object.entries(input.FindingCriteria?.Criterion ?? {});
      const ids = own(ctx, input.DetectorId)
        .map(view)
        .filter(v =>
          criteria.every(([field, condition]) =>
            criterionMatches(v, field, condition),
          ),
        )
        .map(v => v.Id);
      const { slice, next } = pageOf(ids, input.NextToken, max, 'guardduty');
      return { FindingIds: slice, ...(next ? { NextToken: next } : {}) };
    },
    GetFindings: (
      ctx: CommandContext,
      input: { DetectorId?: string; FindingIds?: string[] },
    ) => {
      if ((input.FindingIds?.length ?? 0) > 50)
        throw awsError(
          'guardduty',
          'BadRequestException',
          'FindingIds can list at most 50 ids',
        );
      const byId = new Map(
        own(ctx, input.DetectorId).map(f => [f.guardDutyId, f]),
      );
      return {
        Findings: (input.FindingIds ?? [])
          .map(id => byId.get(id))
          .filter((f): f is SimulatedFinding => Boolean(f))
          .map(view),
      };
    },
  };
}

export function inspectorHandlers(model: FindingsModel): CommandHandlers {
  type Filter = { comparison?: string; value?: string; key?: string };
  const matchesFilter = (
    filters: Filter[] | undefined,
    value: string | undefined,
  ) =>
    stringFilterMatches(
      filters?.map(f => ({ Value: f.value, Comparison: f.comparison })),
      value,
    );
  return {
    ListFindings: (
      ctx: CommandContext,
      input: {
        filterCriteria?: Record<string, Filter[]>;
        maxResults?: number;
        nextToken?: string;
      },
    ) => {
      const max = input.maxResults ?? 50;
      if (max < 1 || max > 100)
        throw awsError(
          'inspector2',
          'ValidationException',
          'maxResults must be between 1 and 100',
        );
      const c = input.filterCriteria ?? {};
      const findings = model
        .list(ctx.accountId, ctx.region, ctx.now())
        .filter(f => f.template.product === 'Inspector')
        .map(f => {
          const t = f.template;
          const status = INSPECTOR_STATUS[f.workflowStatus];
          const resourceType =
            t.target === 'image'
              ? 'AWS_ECR_CONTAINER_IMAGE'
              : 'AWS_EC2_INSTANCE';
          return {
            findingArn: f.asffId,
            awsAccountId: f.accountId,
            type: 'PACKAGE_VULNERABILITY',
            description: t.description,
            title: t.title(f.resourceId),
            remediation: {
              recommendation: {
                text: `Upgrade ${t.packageName} to a fixed version.`,
              },
            },
            severity: t.severity,
            firstObservedAt: new Date(f.firstObservedAt),
            lastObservedAt: new Date(f.updatedAt),
            updatedAt: new Date(f.updatedAt),
            status,
            resources: [
              {
                type: resourceType,
                id: f.resourceId,
                partition: 'aws',
                region: f.region,
                tags: f.tags,
              },
            ],
            inspectorScore: NORMALIZED[t.severity] / 10,
            packageVulnerabilityDetails: {
              vulnerabilityId: t.code,
              source: 'NVD',
              vulnerablePackages: [
                {
                  name: t.packageName,
                  version: '1.0.0',
                  fixedInVersion: '1.0.1',
                  packageManager:
                    resourceType === 'AWS_EC2_INSTANCE' ? 'OS' : 'GOMOD',
                },
              ],
              referenceUrls: [`https://nvd.nist.gov/vuln/detail/${t.code}`],
            },
            exploitAvailable: t.severity === 'CRITICAL' ? 'YES' : 'NO',
            fixAvailable: 'YES',
          };
        })
        .filter(
          v =>
            matchesFilter(c.severity, v.severity) &&
            matchesFilter(c.findingStatus, v.status) &&
            matchesFilter(c.resourceType, v.resources[0].type) &&
            matchesFilter(c.awsAccountId, v.awsAccountId) &&
            matchesFilter(c.findingType, v.type) &&
            matchesFilter(
              c.vulnerabilityId,
              v.packageVulnerabilityDetails.vulnerabilityId,
            ) &&
            mapFilterMatches(
              c.resourceTags?.map(f => ({
                Key: f.key,
                Value: f.value,
                Comparison: f.comparison,
              })),
              v.resources[0].tags,
            ),
        );
      const { slice, next } = pageOf(
        findings,
        input.nextToken,
        max,
        'inspector2',
      );
      return { findings: slice, ...(next ? { nextToken: next } : {}) };
    },
  };
}
