/**
 * What the Security Hub controls look at: the properties of a resource as its stack set them, and the resources
 * of the same environment that complete it (flow logs of a VPC, the policy of a bucket, rules of a security group).
 */
import {
  EKS_KUBERNETES_VERSIONS,
  snapshotKubernetesPhase,
} from '@internal/plugin-aws-environments-node';
import type { ResourceRecord } from '../cloudformation/model';
import { environmentResources, type EnvironmentInfo } from '../inventory';

const DAY = 86_400_000;

export const isTrue = (value: unknown) => value === true || value === 'true';
export const isFalse = (value: unknown) => value === false || value === 'false';

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** Ports EC2.19 calls high-risk. */
const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333,
  5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
];

/** Whether an ingress rule lets the whole internet in on one of `ports` (on any port when absent). */
function ruleOpensToInternet(
  rule: Record<string, unknown>,
  ports?: number[],
): boolean {
  const open = rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
  if (!open) return false;
  const protocol = String(rule.IpProtocol ?? '');
  if (protocol === '-1' || protocol === 'all' || !ports) return true;
  const from = Number(rule.FromPort ?? 0);
  const to = Number(rule.ToPort ?? from);
  return ports.some(port => port >= from && port <= to);
}

/** The ingress rules of a security group: inline, and rule resources of the environment that name the group. */
function ingressRulesOf(
  group: ResourceRecord,
  info: EnvironmentInfo,
): Array<Record<string, unknown>> {
  const inline = list(group.properties.SecurityGroupIngress).map(record);
  const separate = environmentResources(info, 'AWS::EC2::SecurityGroupIngress')
    .filter(r => r.properties.GroupId === group.physicalId)
    .map(r => r.properties);
  return [...inline, ...separate];
}

/** EC2.19: an ingress rule of the group, inline or a rule resource of its own, open to the internet on a high-risk port. */
export function opensHighRiskPort(
  group: ResourceRecord,
  info: EnvironmentInfo,
): boolean {
  return ingressRulesOf(group, info).some(rule =>
    ruleOpensToInternet(rule, HIGH_RISK_PORTS),
  );
}

/**
 * Whether the internet reaches the environment's instances: a security group of the environment admits anyone on
 * one of `ports` (on any port when absent). Probes and brute-force attempts need that much.
 */
export function reachableFromInternet(
  info: EnvironmentInfo,
  ports?: number[],
): boolean {
  return environmentResources(info, 'AWS::EC2::SecurityGroup').some(group =>
    ingressRulesOf(group, info).some(rule => ruleOpensToInternet(rule, ports)),
  );
}

/** EKS.2 (as simulated): the cluster's version leaves standard support within 60 days, or has left it. */
export function nearEndOfStandardSupport(
  cluster: ResourceRecord,
  now: number,
): boolean {
  const version = cluster.properties.Version;
  if (version === undefined) return false;
  const fact = EKS_KUBERNETES_VERSIONS.find(f => f.version === String(version));
  if (!fact) return false;
  return snapshotKubernetesPhase(fact, now + 60 * DAY) !== 'standard';
}

/** S3.5: a bucket policy of the environment denies requests to the bucket made without TLS. */
export function deniesInsecureTransport(
  bucket: ResourceRecord,
  info: EnvironmentInfo,
): boolean {
  return environmentResources(info, 'AWS::S3::BucketPolicy')
    .filter(p => p.properties.Bucket === bucket.physicalId)
    .some(p =>
      list(record(p.properties.PolicyDocument).Statement)
        .map(record)
        .some(
          statement =>
            statement.Effect === 'Deny' &&
            isFalse(
              record(record(statement.Condition).Bool)['aws:SecureTransport'],
            ),
        ),
    );
}

/** EC2.6: a flow log of the environment captures the VPC's traffic. */
export function hasFlowLog(
  vpc: ResourceRecord,
  info: EnvironmentInfo,
): boolean {
  return environmentResources(info, 'AWS::EC2::FlowLog').some(
    flowLog =>
      list(flowLog.properties.ResourceId).includes(vpc.physicalId) ||
      list(flowLog.properties.ResourceIds).includes(vpc.physicalId),
  );
}

/** ELB.4: the Application Load Balancer drops headers with invalid names. */
export function dropsInvalidHeaders(loadBalancer: ResourceRecord): boolean {
  const type = loadBalancer.properties.Type ?? 'application';
  if (type !== 'application') return true;
  return list(loadBalancer.properties.LoadBalancerAttributes)
    .map(record)
    .some(
      attribute =>
        attribute.Key === 'routing.http.drop_invalid_header_fields.enabled' &&
        isTrue(attribute.Value),
    );
}

/**
 * RDS.11: a DB instance that keeps its own backups (not a member of an Aurora cluster, which keeps them, nor a read
 * replica) retains them for fewer than 7 days; CloudFormation's default is one day.
 */
export function keepsBackupsTooShortly(instance: ResourceRecord): boolean {
  const p = instance.properties;
  if (p.DBClusterIdentifier || p.SourceDBInstanceIdentifier) return false;
  const retention =
    p.BackupRetentionPeriod === undefined ? 1 : Number(p.BackupRetentionPeriod);
  return retention < 7;
}
