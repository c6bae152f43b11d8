import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  AwsAccountSummary,
  ENVIRONMENT_LAYERS,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { toEnvironmentTarget } from '../service/EnvironmentDirectory';
import type { EnvironmentTarget } from '../service/types';

export const DEV_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';
export const REGION = 'eu-central-1';

export const testAccounts: AwsAccountSummary[] = [
  {
    accountId: '111111111111',
    name: 'shared-services',
    stage: 'shared',
    regions: [REGION],
    defaultRegion: REGION,
  },
  {
    accountId: DEV_ACCOUNT,
    name: 'innovate-dev',
    stage: 'dev',
    regions: [REGION],
    defaultRegion: REGION,
  },
  {
    accountId: PROD_ACCOUNT,
    name: 'innovate-prod',
    stage: 'prod',
    regions: [REGION],
    defaultRegion: REGION,
  },
];

/**
 * A factory that hands out real SDK clients (to be intercepted with aws-sdk-client-mock) and enforces the
 * allowlist like the real one. Counts clients handed out per class, for tests that check call budgets.
 */
export function fakeAwsClientFactory(
  accounts: AwsAccountSummary[] = testAccounts,
): AwsClientFactory & { clients: Map<string, number> } {
  const clients = new Map<string, number>();
  const assertAllowed: AwsClientFactory['assertAllowed'] = ({
    accountId,
    region,
  }) => {
    const account = accounts.find(a => a.accountId === accountId);
    if (!account || !account.regions.includes(region)) {
      throw new NotAllowedError(
        `Account ${accountId} in ${region} is not allowed`,
      );
    }
    return account;
  };
  return {
    mode: 'simulated',
    clients,
    listAccounts: () => accounts,
    assertAllowed,
    async getClient(ClientClass, target) {
      assertAllowed(target);
      clients.set(ClientClass.name, (clients.get(ClientClass.name) ?? 0) + 1);
      return new ClientClass({
        region: target.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    },
  };
}

/** A catalog entity of an environment, as the catalog provider writes it. */
export function environmentEntity(options: {
  name: string;
  accountId?: string;
  region?: string;
  stage?: string;
  owner?: string;
  template?: string;
  namespace?: string;
}): Entity {
  const { name } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      annotations: {
        [ANNOTATION_ACCOUNT_ID]: options.accountId ?? DEV_ACCOUNT,
        [ANNOTATION_REGION]: options.region ?? REGION,
        [ANNOTATION_ENVIRONMENT]: name,
        [ANNOTATION_STAGE]: options.stage ?? 'dev',
        [ANNOTATION_STACKS]: ENVIRONMENT_LAYERS.map(l =>
          stackNameFor(name, l),
        ).join(','),
        [ANNOTATION_TEMPLATE]: options.template ?? 'aws-environment@1.0.0',
      },
    },
    spec: {
      type: 'aws-environment',
      owner: options.owner ?? 'group:default/web-team',
      system: 'innovate-web',
      lifecycle: 'production',
    },
  };
}

export function environmentTarget(
  options: Parameters<typeof environmentEntity>[0],
): EnvironmentTarget {
  return toEnvironmentTarget(environmentEntity(options))!;
}

/** The Template entity publishing the latest version of the environment template. */
export function templateEntity(name: string, version: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'aws.innovate.io/template-version': version },
    },
    spec: {
      type: 'aws-environment',
      owner: 'group:default/platform-team',
      steps: [],
    },
  };
}

/** An AWS SDK service error, shaped like the ones the SDK throws. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $fault: 'client', $metadata: {} });
}
