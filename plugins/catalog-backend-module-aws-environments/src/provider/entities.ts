import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ACCOUNT_RESOURCE_TYPE,
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  type AwsAccountSummary,
  ENVIRONMENT_LAYERS,
  ENVIRONMENT_RESOURCE_TYPE,
  TAG_ENVIRONMENT,
  TAG_LAYER,
  TAG_OWNER,
  TAG_STAGE,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';

/** Location the provider's entities are attributed to. */
export const PROVIDER_LOCATION = 'provider:aws-environments';
/** Owner of account entities and of environments whose stacks carry no owner tag. */
export const PLATFORM_TEAM = 'group:default/platform-team';

/** The catalog parts of an environment: which layer's stack makes which Resource. */
const PARTS: Array<{
  layer: string;
  suffix: string;
  type: string;
  title: string;
}> = [
  { layer: 'network', suffix: 'vpc', type: 'vpc', title: 'VPC' },
  {
    layer: 'compute',
    suffix: 'eks',
    type: 'eks-cluster',
    title: 'EKS cluster',
  },
  { layer: 'data', suffix: 'database', type: 'database', title: 'Database' },
  {
    layer: 'edge',
    suffix: 'cdn',
    type: 'cloudfront-distribution',
    title: 'CloudFront distribution',
  },
];

/** Stacks of one environment found in one account and Region. */
export interface DiscoveredEnvironment {
  name: string;
  accountId: string;
  region: string;
  stacks: Stack[];
}

function tagOf(stack: Stack, key: string): string | undefined {
  return stack.Tags?.find(t => t.Key === key)?.Value;
}

function layerOf(stack: Stack, environment: string): string {
  return (
    tagOf(stack, TAG_LAYER) ??
    stack.StackName?.slice(environment.length + 1) ??
    ''
  );
}

function firstTag(stacks: Stack[], key: string): string | undefined {
  for (const stack of stacks) {
    const value = tagOf(stack, key);
    if (value) return value;
  }
  return undefined;
}

function layerRank(layer: string): number {
  const index = (ENVIRONMENT_LAYERS as readonly string[]).indexOf(layer);
  return index < 0 ? ENVIRONMENT_LAYERS.length : index;
}

function resourceRef(name: string): string {
  return stringifyEntityRef({ kind: 'Resource', namespace: 'default', name });
}

export function accountEntityName(accountId: string): string {
  return `aws-account-${accountId}`;
}

function managedBy(): Record<string, string> {
  return {
    [ANNOTATION_LOCATION]: PROVIDER_LOCATION,
    [ANNOTATION_ORIGIN_LOCATION]: PROVIDER_LOCATION,
  };
}

/**
 * Stacks in an account/Region grouped by their `innovate:environment` tag. An environment whose stacks are all
 * being deleted (or are only previews in REVIEW_IN_PROGRESS) is left out, so it leaves the catalog at once.
 */
export function groupEnvironments(
  accountId: string,
  region: string,
  stacks: Stack[],
): DiscoveredEnvironment[] {
  const byName = new Map<string, Stack[]>();
  for (const stack of stacks) {
    const name = tagOf(stack, TAG_ENVIRONMENT);
    if (!name || stack.StackStatus === 'DELETE_COMPLETE') continue;
    byName.set(name, [...(byName.get(name) ?? []), stack]);
  }
  const gone = new Set(['DELETE_IN_PROGRESS', 'REVIEW_IN_PROGRESS']);
  return [...byName.entries()]
    .filter(([, group]) => group.some(s => !gone.has(s.StackStatus ?? '')))
    .map(([name, group]) => ({
      name,
      accountId,
      region,
      stacks: [...group].sort(
        (a, b) => layerRank(layerOf(a, name)) - layerRank(layerOf(b, name)),
      ),
    }));
}

/** The environment Resource and its parts (VPC, EKS cluster, database, CDN) for the stacks that exist. */
export function environmentEntities(env: DiscoveredEnvironment): Entity[] {
  const { stacks } = env;
  const stage = firstTag(stacks, TAG_STAGE);
  const owner = firstTag(stacks, TAG_OWNER) ?? PLATFORM_TEAM;
  const system = firstTag(stacks, TAG_SYSTEM);
  const templateName = firstTag(stacks, TAG_TEMPLATE);
  const templateVersion = firstTag(stacks, TAG_TEMPLATE_VERSION);
  const layers = new Set(stacks.map(s => layerOf(s, env.name)));
  const parts = PARTS.filter(p => layers.has(p.layer));
  const common: Record<string, string> = {
    ...managedBy(),
    [ANNOTATION_ACCOUNT_ID]: env.accountId,
    [ANNOTATION_REGION]: env.region,
    [ANNOTATION_ENVIRONMENT]: env.name,
    ...(stage ? { [ANNOTATION_STAGE]: stage } : {}),
  };
  const consoleUrl = `https://${
    env.region
  }.console.aws.amazon.com/cloudformation/home?region=${
    env.region
  }#/stacks?filteringText=${encodeURIComponent(env.name)}`;

  const environment: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: env.name,
      namespace: 'default',
      title: stage ? `${env.name} (${stage})` : env.name,
      description: `AWS environment in account ${env.accountId}, ${env.region}`,
      annotations: {
        ...common,
        [ANNOTATION_STACKS]: stacks.map(s => s.StackName).join(','),
        ...(templateName && templateVersion
          ? { [ANNOTATION_TEMPLATE]: `${templateName}@${templateVersion}` }
          : {}),
      },
      tags: stage ? [stage] : [],
      links: [
        { url: consoleUrl, title: 'CloudFormation stacks', icon: 'cloud' },
      ],
    },
    spec: {
      type: ENVIRONMENT_RESOURCE_TYPE,
      owner,
      ...(system ? { system } : {}),
      dependsOn: [
        ...parts.map(p => resourceRef(`${env.name}-${p.suffix}`)),
        resourceRef(accountEntityName(env.accountId)),
      ],
    },
  };

  const partEntities: Entity[] = parts.map(part => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${env.name}-${part.suffix}`,
      namespace: 'default',
      title: `${part.title} of ${env.name}`,
      annotations: {
        ...common,
        [ANNOTATION_STACKS]: stacks
          .filter(s => layerOf(s, env.name) === part.layer)
          .map(s => s.StackName)
          .join(','),
      },
      tags: stage ? [stage] : [],
    },
    spec: {
      type: part.type,
      owner,
      ...(system ? { system } : {}),
      dependencyOf: [resourceRef(env.name)],
    },
  }));
  return [environment, ...partEntities];
}

/** One Resource per allowed account, so environments can depend on their account. */
export function accountEntity(account: AwsAccountSummary): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: accountEntityName(account.accountId),
      namespace: 'default',
      title: `${account.name} (${account.accountId})`,
      annotations: {
        ...managedBy(),
        [ANNOTATION_ACCOUNT_ID]: account.accountId,
        ...(account.stage ? { [ANNOTATION_STAGE]: account.stage } : {}),
      },
      tags: account.stage ? [account.stage] : [],
    },
    spec: {
      type: ACCOUNT_RESOURCE_TYPE,
      owner: PLATFORM_TEAM,
    },
  };
}
