import ipaddr from 'ipaddr.js';
import { ENVIRONMENT_NAME_PATTERN } from './naming';

/*
 * One check per input, shared by the template forms (field extensions, in the browser) and the scaffolder actions
 * (on the server). Each returns the sentence a person reads, naming what to change, or undefined when the value is
 * fine.
 */

/** Titles of the environment request's fields as the New and Update forms show them; errors name fields by these. */
export const ENVIRONMENT_FIELD_TITLES: Record<string, string> = {
  name: 'Name',
  owner: 'Owner',
  system: 'System',
  stage: 'Stage',
  accountId: 'AWS account',
  region: 'Region',
  azCount: 'Availability Zones',
  natGateways: 'NAT gateways',
  vpcCidr: 'VPC range',
  nodeStrategy: 'Node capacity',
  frontendInstanceType: 'Frontend node type',
  backendInstanceType: 'API node type',
  frontendNodes: 'Frontend nodes',
  backendNodes: 'API nodes',
  kubernetesVersion: 'Kubernetes version',
  databaseEngine: 'Engine',
  databaseEngineVersion: 'PostgreSQL version',
  databaseInstanceClass: 'Instance class',
  databaseStorageGb: 'Storage (GiB)',
  multiAz: 'Multi-AZ standby',
  readReplica: 'Read replica',
  backupRetentionDays: 'Automated backup retention (days)',
  drCopyRegion: 'Copy backups to Region',
  enableWaf: 'AWS WAF',
  domainName: 'Domain name',
  hostedZoneId: 'Route 53 hosted zone id',
  budgetMonthlyUsd: 'Monthly budget (USD)',
  alertEmail: 'Alert e-mail',
  costCenter: 'Cost center',
};

/** The title of a field path such as `frontendNodes.max` ("Frontend nodes, max"). */
export function fieldTitle(path: ReadonlyArray<string | number>): string {
  const [head, ...rest] = path.map(String);
  if (!head) return 'The request';
  const title = ENVIRONMENT_FIELD_TITLES[head] ?? head;
  return rest.length ? `${title}, ${rest.join(' ')}` : title;
}

export function environmentNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') {
    return 'Enter a name for the environment.';
  }
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    return 'Use 3 to 32 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. innovate-qa).';
  }
  return undefined;
}

/*
 * Names AWS or the catalog keep for themselves, read from AWS's documentation on 2026-12-03:
 * - RDS DB instance and cluster identifiers (`<name>-db`, and the Aurora cluster `<name>`) may not contain two
 *   consecutive hyphens: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
 * - S3 bucket names may not start with `xn--`, `sthree-` or `amzn-s3-demo-`; CloudFormation names the observability
 *   layer's log bucket after its stack, `<name>-observability`:
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html and
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 * - `aws-account-<id>` is the catalog's name of each AWS account's Resource (catalog-backend-module-aws-environments).
 */
const S3_RESERVED =
  'are reserved by AWS for S3, and CloudFormation names the log bucket after the environment';
const RESERVED_NAME_PREFIXES: ReadonlyArray<[string, string]> = [
  ['sthree-', S3_RESERVED],
  ['amzn-s3-demo-', S3_RESERVED],
  ['aws-account-', "are the catalog's names of AWS accounts"],
];

/**
 * The naming rules (`environmentNameProblem`), then the names a new environment may not take although they fit
 * them: AWS would refuse a resource named after it half-way through the deployment, or the catalog uses it already.
 * Only new names are checked for these, so an environment named so earlier can still be updated or torn down.
 */
export function newEnvironmentNameProblem(name: unknown): string | undefined {
  const problem = environmentNameProblem(name);
  if (problem || typeof name !== 'string') return problem;
  if (name.includes('--')) {
    return 'Use no two hyphens in a row: RDS refuses them in the database names made from the environment name.';
  }
  const reserved = RESERVED_NAME_PREFIXES.find(([prefix]) =>
    name.startsWith(prefix),
  );
  if (reserved) {
    return `Names starting with ${reserved[0]} ${reserved[1]}: pick another name.`;
  }
  return undefined;
}

/** The blueprint's network layer carves nine /20 subnets out of the VPC range, which needs exactly a /16. */
export const VPC_PREFIX_LENGTH = 16;

/** Parses `a.b.c.d/n`; undefined when it is not an IPv4 range in that notation. */
export function parseIpv4Cidr(
  cidr: string,
): { address: ipaddr.IPv4; prefixLength: number } | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) return undefined;
  try {
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(cidr);
    // ipaddr.js also reads octal and short forms; only the plain dotted decimal form is a CloudFormation CIDR.
    if (address.toString() !== cidr.split('/')[0]) return undefined;
    return { address, prefixLength };
  } catch {
    return undefined;
  }
}

function networkAddress(address: ipaddr.IPv4, prefixLength: number): string {
  return ipaddr.IPv4.networkAddressFromCIDR(
    `${address.toString()}/${prefixLength}`,
  ).toString();
}

export function vpcCidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== 'string' || cidr === '') {
    return `Enter a private /${VPC_PREFIX_LENGTH} range such as 10.40.0.0/16.`;
  }
  const parsed = parseIpv4Cidr(cidr.trim());
  if (!parsed) {
    return `${cidr} is not an IPv4 range: write it as four numbers from 0 to 255 and a prefix, such as 10.40.0.0/16.`;
  }
  const { address, prefixLength } = parsed;
  if (prefixLength !== VPC_PREFIX_LENGTH) {
    return `Use a /${VPC_PREFIX_LENGTH} range (the blueprint carves nine /20 subnets from it), not /${prefixLength}.`;
  }
  const base = networkAddress(address, prefixLength);
  if (base !== address.toString()) {
    return `${cidr} does not start its range: use ${base}/${prefixLength}.`;
  }
  if (address.range() !== 'private') {
    return `${cidr} is not a private range: use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.`;
  }
  return undefined;
}

/** True when two IPv4 ranges share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = parseIpv4Cidr(a);
  const right = parseIpv4Cidr(b);
  if (!left || !right) return false;
  const shorter = Math.min(left.prefixLength, right.prefixLength);
  return (
    networkAddress(left.address, shorter) ===
    networkAddress(right.address, shorter)
  );
}

/** AWS's limit on a tag value (CloudFormation stack tags, and every resource the stacks tag). */
export const MAX_TAG_VALUE_LENGTH = 256;
const TAG_VALUE_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * A value the portal writes into an AWS tag (owner, system, cost center): at most 256 characters of letters, digits,
 * spaces and `_ . : / = + - @`, as AWS's tagging rules allow.
 */
export function tagValueProblem(
  value: unknown,
  title: string,
  options: { required?: boolean } = {},
): string | undefined {
  if (typeof value !== 'string') {
    return `${title} must be text.`;
  }
  if (value.trim() === '') {
    return options.required ? `Enter a value for ${title}.` : undefined;
  }
  if ([...value].length > MAX_TAG_VALUE_LENGTH) {
    return `${title} is ${
      [...value].length
    } characters long; AWS tags take at most ${MAX_TAG_VALUE_LENGTH}.`;
  }
  if (!TAG_VALUE_CHARACTERS.test(value)) {
    return `${title} may contain only letters, digits, spaces and _ . : / = + - @ (it becomes an AWS tag).`;
  }
  if (value !== value.trim()) {
    return `${title} must not start or end with a space.`;
  }
  return undefined;
}

/** Bounds of a monthly environment budget: AWS Budgets takes any amount, but past these it is a typing slip. */
export const MIN_BUDGET_USD = 1;
export const MAX_BUDGET_USD = 1_000_000;

export function budgetProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return 'Enter the monthly budget in US dollars, e.g. 800.';
  }
  if (value < MIN_BUDGET_USD || value > MAX_BUDGET_USD) {
    return `Enter a monthly budget between $${MIN_BUDGET_USD} and $${MAX_BUDGET_USD.toLocaleString(
      'en-US',
    )}.`;
  }
  if (Math.round(value * 100) !== value * 100) {
    return 'Enter the monthly budget in whole cents at most, e.g. 800 or 812.50.';
  }
  return undefined;
}

/** What the teardown form asks a person to type: the environment's name, exactly. */
export function teardownConfirmationProblem(
  typed: unknown,
  environmentName: string,
): string | undefined {
  if (typed === environmentName) return undefined;
  return `Type the environment's name, ${environmentName}, exactly to confirm the teardown.`;
}
