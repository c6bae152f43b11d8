import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { InputError } from '@backstage/errors';
import type {
  AwsClientFactory,
  AwsTarget,
} from '@internal/plugin-aws-environments-node';
import { CLEAR_SETTING } from './environmentSpec';

/** Titles of the New AWS environment form's fields (templates/aws-environment/template.yaml). */
const DOMAIN_FIELD = 'Domain name';
const ZONE_FIELD = 'Route 53 hosted zone id';

export interface HostedZoneCheck {
  awsClients: AwsClientFactory;
  /** The environment's account and Region. */
  target: AwsTarget;
  /** The effective domain name; empty (or `none`) for the CloudFront domain. */
  domainName?: string | null;
  /** The effective hosted zone id, with or without the `/hostedzone/` prefix; empty (or `none`) for none. */
  hostedZoneId?: string | null;
}

/** The zone that serves the domain, as Route 53 named it (without the trailing dot). */
export interface HostedZoneServingDomain {
  hostedZoneId: string;
  zoneName: string;
  domainName: string;
}

function blank(value: string | null | undefined): boolean {
  const text = (value ?? '').trim();
  return text === '' || text === CLEAR_SETTING;
}

/** Lower case, without the trailing dot, with Route 53's octal escapes (`\052` for `*`) decoded. */
function dnsName(value: string): string {
  return value
    .trim()
    .replace(/\\(\d{3})/g, (_, octal: string) =>
      String.fromCharCode(parseInt(octal, 8)),
    )
    .replace(/\.$/, '')
    .toLocaleLowerCase('en-US');
}

function accountLabel(awsClients: AwsClientFactory, accountId: string): string {
  const account = awsClients
    .listAccounts()
    .find(a => a.accountId === accountId);
  return account && account.name !== accountId
    ? `${accountId} (${account.name})`
    : accountId;
}

/**
 * Checks, before any change set, that the domain name and hosted zone of the New AWS environment form go together:
 * both empty, or a public Route 53 hosted zone of the environment's account whose name is the domain or a parent of
 * it. The edge stack creates the ALB origin record and the ACM validation records in that zone, so a wrong pair
 * would otherwise fail deep inside CloudFormation. Throws `InputError` naming the form field to change; other AWS
 * errors (access denied, throttling) propagate. Needs `route53:GetHostedZone` in the account.
 *
 * Returns the zone when there is a domain, `undefined` when there is nothing to check.
 */
export async function assertHostedZoneServesDomain(
  check: HostedZoneCheck,
): Promise<HostedZoneServingDomain | undefined> {
  const { awsClients, target } = check;
  const hasDomain = !blank(check.domainName);
  const hasZone = !blank(check.hostedZoneId);
  if (!hasDomain && !hasZone) return undefined;
  if (!hasZone) {
    throw new InputError(
      `${ZONE_FIELD}: a domain name needs the public hosted zone that serves it.`,
    );
  }
  const hostedZoneId = check
    .hostedZoneId!.trim()
    .replace(/^\/hostedzone\//, '');
  if (!hasDomain) {
    throw new InputError(
      `${DOMAIN_FIELD}: the hosted zone ${hostedZoneId} is only used with a domain name, so enter the domain it serves or clear ${ZONE_FIELD}.`,
    );
  }
  const domainName = dnsName(check.domainName!);

  // Route 53 has one global endpoint per partition (route53.amazonaws.com, signed for us-east-1), and the SDK resolves
  // it from any Region of the partition. So the client is made for the environment's own Region: the factory checks
  // that Region against the account's allowlist (where us-east-1 is usually absent, and asking for it would be
  // refused with NotAllowedError), real mode still reaches the global endpoint, and the simulation answers the same
  // in every Region.
  const route53 = await awsClients.getClient(Route53Client, target);
  let zone;
  try {
    zone = (await route53.send(new GetHostedZoneCommand({ Id: hostedZoneId })))
      .HostedZone;
  } catch (error) {
    // By name, not class: a shared simulation (and any proxy) may rebuild the error without Route 53's classes.
    const name = (error as Error)?.name;
    if (name === 'NoSuchHostedZone') {
      throw new InputError(
        `${ZONE_FIELD}: there is no hosted zone ${hostedZoneId} in account ${accountLabel(
          awsClients,
          target.accountId,
        )}, so enter the id of a public hosted zone of that account.`,
      );
    }
    if (name === 'InvalidInput') {
      throw new InputError(
        `${ZONE_FIELD}: ${hostedZoneId} is not a valid hosted zone id, so enter one as the Route 53 console shows it, such as Z0123456789ABCDEFGHIJ.`,
      );
    }
    throw error;
  }
  const zoneName = dnsName(zone?.Name ?? '');
  if (zone?.Config?.PrivateZone) {
    throw new InputError(
      `${ZONE_FIELD}: ${hostedZoneId} (${zoneName}) is a private hosted zone and CloudFront needs a public one, so enter the id of the public zone that serves ${domainName}.`,
    );
  }
  if (domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    throw new InputError(
      `${DOMAIN_FIELD}: ${domainName} is not in the hosted zone ${zoneName} (${hostedZoneId}), so enter a domain in ${zoneName} or change ${ZONE_FIELD} to the zone that serves ${domainName}.`,
    );
  }
  return { hostedZoneId, zoneName, domainName };
}
