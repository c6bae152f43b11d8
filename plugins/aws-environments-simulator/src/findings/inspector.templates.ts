import type { FindingTemplate } from './templates';

/** Inspector package vulnerabilities of the worker nodes and the container images they run. */
export const INSPECTOR_TEMPLATES: FindingTemplate[] = [
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
];
