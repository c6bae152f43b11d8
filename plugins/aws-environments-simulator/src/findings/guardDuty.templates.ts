import { reachableFromInternet } from './checks';
import type { FindingTemplate } from './templates';

/**
 * GuardDuty threat detections: run-time behaviour, so most may hit any environment; those that need the internet
 * to reach an instance only where a security group lets it in.
 */
export const GUARDDUTY_TEMPLATES: FindingTemplate[] = [
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
    fails: (_cluster, context) => reachableFromInternet(context.info, [22]),
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
    fails: (_cluster, context) => reachableFromInternet(context.info),
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
];
