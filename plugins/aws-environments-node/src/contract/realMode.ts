/**
 * The real-mode factory of the contract tests, built from config the way a backend builds it, with every service
 * (and STS) pointed at the loopback server.
 */
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfigReader, type JsonObject } from '@backstage/config';
import { serviceKeyOf } from '../clientOptions';
import { DefaultAwsClientFactory } from '../DefaultAwsClientFactory';
import { type AwsWire, XMLNS, queryResult } from './awsWire';

export const DEV_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';
export const REGION = 'eu-central-1';
export const DEV = { accountId: DEV_ACCOUNT, region: REGION };

/** The portal's own (shared-services) keys: the example key pair of the AWS documentation. */
export const MAIN_KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** Every client class the portal uses, so that no service is left on its AWS endpoint. */
export const PORTAL_CLIENTS = [
  BudgetsClient,
  CloudFormationClient,
  CloudWatchClient,
  CostExplorerClient,
  EKSClient,
  GuardDutyClient,
  Inspector2Client,
  PricingClient,
  RDSClient,
  ResourceGroupsTaggingAPIClient,
  Route53Client,
  SecurityHubClient,
  STSClient,
];

/** `awsEnvironments.endpoints` sending every service to the server. */
export function endpointsTo(wire: AwsWire): Record<string, string> {
  return Object.fromEntries(
    PORTAL_CLIENTS.map(client => [serviceKeyOf(client), wire.url]),
  );
}

/**
 * The app config of a backend in real mode: `aws` as given (default: the main account's keys and a role with an
 * external id in the dev account), the dev and prod accounts on the allowlist, and every endpoint on the server.
 */
export function realModeConfig(
  wire: AwsWire,
  options: {
    aws?: JsonObject;
    accounts?: JsonObject[];
    endpoints?: Record<string, string>;
    retry?: JsonObject;
  } = {},
): ConfigReader {
  return new ConfigReader({
    aws: options.aws ?? {
      mainAccount: MAIN_KEYS,
      accounts: [
        {
          accountId: DEV_ACCOUNT,
          roleName: 'innovate-portal',
          externalId: 'innovate-external-id',
        },
        {
          accountId: PROD_ACCOUNT,
          roleName: 'innovate-portal',
          externalId: 'innovate-external-id',
        },
      ],
    },
    awsEnvironments: {
      mode: 'aws',
      accounts: options.accounts ?? [
        {
          accountId: DEV_ACCOUNT,
          name: 'innovate-dev',
          stage: 'dev',
          regions: [REGION],
        },
        {
          accountId: PROD_ACCOUNT,
          name: 'innovate-prod',
          stage: 'prod',
          regions: [REGION],
        },
      ],
      endpoints: options.endpoints ?? endpointsTo(wire),
      ...(options.retry ? { retry: options.retry } : {}),
    },
  });
}

export function realModeFactory(
  wire: AwsWire,
  options: Parameters<typeof realModeConfig>[1] = {},
): DefaultAwsClientFactory {
  return DefaultAwsClientFactory.fromConfig(realModeConfig(wire, options));
}

/** Temporary credentials STS hands out for a role; the key id tells which account's role they are for. */
export function sessionKeysFor(accountId: string) {
  return {
    accessKeyId: `ASIA${accountId}EXAMPLE`,
    secretAccessKey: `session-secret-${accountId}`,
    sessionToken: `session-token-${accountId}`,
  };
}

/**
 * STS answers AssumeRole with the temporary credentials of the role's account, valid for an hour from now
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, "Response Elements").
 */
export function answerAssumeRole(wire: AwsWire): void {
  wire.on('sts', 'AssumeRole', request => {
    const roleArn = request.params.get('RoleArn') ?? '';
    const accountId = roleArn.split(':')[4];
    const keys = sessionKeysFor(accountId);
    return queryResult(XMLNS.sts, 'AssumeRole', {
      Credentials: {
        AccessKeyId: keys.accessKeyId,
        SecretAccessKey: keys.secretAccessKey,
        SessionToken: keys.sessionToken,
        Expiration: new Date(Date.now() + 60 * 60 * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${accountId}EXAMPLE:${request.params.get(
          'RoleSessionName',
        )}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleArn
          .split('/')
          .pop()}/${request.params.get('RoleSessionName')}`,
      },
    });
  });
}
