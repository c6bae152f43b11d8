/**
 * Route 53 of the simulated organization: a few hosted zones per account, read with `GetHostedZone`, so that the
 * New AWS environment form's domain name / hosted zone pair can be checked before any stack is touched.
 *
 * The zones are fixed (they do not depend on `simulation.seed`), so the pairs the README documents always work.
 * Route 53 is a global service: an account's zones are the same whatever Region the client was made for.
 */
import {
  NoSuchHostedZone,
  InvalidInput,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { awsError } from './errors';
import { hashSeed } from './random';
import type { CommandContext, CommandHandlers } from './types';

/** One seeded hosted zone. `name` as Route 53 returns it: lower case, with the trailing dot. */
export interface SimulatedHostedZone {
  /** Without the `/hostedzone/` prefix, e.g. `Z0DEVINNOVATEEXAMPLE`. */
  id: string;
  name: string;
  privateZone: boolean;
  comment: string;
  resourceRecordSetCount: number;
}

/**
 * The seeded zones, by the stage of the account that holds them: the first `dev` (else `staging`) account and the
 * first `prod` account of `awsEnvironments.accounts`, the accounts the seeded environments live in. With the default
 * accounts: 222222222222 (dev) and 333333333333 (prod).
 */
export const SIMULATED_HOSTED_ZONES: Readonly<
  Record<'dev' | 'prod', readonly SimulatedHostedZone[]>
> = {
  dev: [
    {
      id: 'Z0DEVINNOVATEEXAMPLE',
      name: 'innovate.example.',
      privateZone: false,
      comment: 'Public zone of the dev environments',
      resourceRecordSetCount: 6,
    },
    {
      id: 'Z0DEVINNOVATEINTERNAL',
      name: 'innovate.internal.',
      privateZone: true,
      comment: 'Private zone of the dev VPCs',
      resourceRecordSetCount: 4,
    },
  ],
  prod: [
    {
      id: 'Z0PRODINNOVATEEXAMPLE',
      name: 'innovate.example.',
      privateZone: false,
      comment: 'Public apex zone of innovate.example',
      resourceRecordSetCount: 9,
    },
    {
      id: 'Z0PRODAPPINNOVATEEXAMPLE',
      name: 'app.innovate.example.',
      privateZone: false,
      comment:
        'Public zone delegated from innovate.example for the web application',
      resourceRecordSetCount: 5,
    },
  ],
};

const ID_PREFIX = /^\/hostedzone\//;

/**
 * A Route 53 error as the SDK throws it. `awsError` builds Route 53's modeled classes once `errors.ts` lists the
 * route53 package; until then the modeled class is made here, with the same options.
 */
function route53Error(
  name: 'NoSuchHostedZone' | 'InvalidInput',
  message: string,
  httpStatusCode: number,
): Error {
  const error = awsError('route53', name, message, httpStatusCode);
  if (error instanceof Route53ServiceException) return error;
  const $metadata = {
    httpStatusCode,
    requestId: 'simulated',
    attempts: 1,
    totalRetryDelay: 0,
  };
  const Modeled = name === 'NoSuchHostedZone' ? NoSuchHostedZone : InvalidInput;
  return new Modeled({ message, $metadata });
}

/** Four name servers of a public zone's delegation set, derived from the zone id. */
function nameServersOf(zoneId: string): string[] {
  const hash = hashSeed(0, 'route53', zoneId);
  const number = (i: number) => ((hash >>> (i * 5)) % 512) + i * 512;
  const stripe = (i: number) =>
    ((hash >>> (i * 3)) % 64).toString().padStart(2, '0');
  return [
    `ns-${number(0)}.awsdns-${stripe(0)}.org`,
    `ns-${number(1)}.awsdns-${stripe(1)}.co.uk`,
    `ns-${number(2)}.awsdns-${stripe(2)}.com`,
    `ns-${number(3)}.awsdns-${stripe(3)}.net`,
  ];
}

function vpcIdOf(zoneId: string): string {
  const hex = (salt: number) =>
    hashSeed(salt, 'route53-vpc', zoneId).toString(16).padStart(8, '0');
  // 17 hexadecimal digits, like today's VPC ids.
  return `vpc-${hex(0)}${hex(1)}${hex(2)}`.slice(0, 21);
}

/** The zones of each account: the seeded ones in the first dev (or staging) and the first prod account. */
export function hostedZonesByAccount(
  accounts: AwsAccountSummary[],
): Map<
  string,
  { account: AwsAccountSummary; zones: readonly SimulatedHostedZone[] }
> {
  const byAccount = new Map<
    string,
    { account: AwsAccountSummary; zones: readonly SimulatedHostedZone[] }
  >();
  const dev =
    accounts.find(a => a.stage === 'dev') ??
    accounts.find(a => a.stage === 'staging');
  const prod = accounts.find(a => a.stage === 'prod');
  if (dev)
    byAccount.set(dev.accountId, {
      account: dev,
      zones: SIMULATED_HOSTED_ZONES.dev,
    });
  if (prod)
    byAccount.set(prod.accountId, {
      account: prod,
      zones: SIMULATED_HOSTED_ZONES.prod,
    });
  return byAccount;
}

export function route53Handlers(
  accounts: AwsAccountSummary[],
): CommandHandlers {
  const byAccount = hostedZonesByAccount(accounts);
  return {
    GetHostedZone: (ctx: CommandContext, input: { Id?: string }) => {
      // The SDK strips `/hostedzone/` in a middleware that runs after the simulation's; do it here as well.
      const id = String(input.Id ?? '').replace(ID_PREFIX, '');
      if (!id) {
        throw route53Error(
          'InvalidInput',
          'Invalid request: Missing field Id',
          400,
        );
      }
      if (id.length > 32) {
        throw route53Error(
          'InvalidInput',
          `1 validation error detected: Value '${id}' at 'id' failed to satisfy constraint: Member must have length less than or equal to 32`,
          400,
        );
      }
      // Global service: ctx.region plays no part.
      const entry = byAccount.get(ctx.accountId);
      const zone = entry?.zones.find(z => z.id === id);
      if (!entry || !zone) {
        throw route53Error(
          'NoSuchHostedZone',
          `No hosted zone found with ID: ${id}`,
          404,
        );
      }
      return {
        HostedZone: {
          Id: `/hostedzone/${zone.id}`,
          Name: zone.name,
          CallerReference: `innovate-baseline-${zone.id.toLowerCase()}`,
          Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
          ResourceRecordSetCount: zone.resourceRecordSetCount,
        },
        ...(zone.privateZone
          ? {
              VPCs: [
                {
                  VPCRegion:
                    entry.account.defaultRegion ?? entry.account.regions[0],
                  VPCId: vpcIdOf(zone.id),
                },
              ],
            }
          : { DelegationSet: { NameServers: nameServersOf(zone.id) } }),
      };
    },
  };
}
