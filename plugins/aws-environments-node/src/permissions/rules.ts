import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotImplementedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  AWS_ENVIRONMENT_RESOURCE_TYPE,
  awsEnvironmentsFindingsReadPermission,
} from '@internal/plugin-aws-environments-common';
import { z } from 'zod';

/**
 * The environment entity as a permission resource of this plugin. Conditional decisions with this plugin id are
 * evaluated here, against the entity the request is about.
 */
export const awsEnvironmentResourceRef = createPermissionResourceRef<
  Entity,
  never
>().with({
  pluginId: 'aws-environments',
  resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
});

function owners(entity: Entity): string[] {
  const fromRelations = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string') {
    fromRelations.push(
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    );
  }
  return fromRelations.map(ref => ref.toLocaleLowerCase('en-US'));
}

/** True when the environment is owned by one of the given entity refs (a user's ownership refs, typically). */
export const isEnvironmentOwner = createPermissionRule({
  name: 'IS_ENVIRONMENT_OWNER',
  description:
    'Allow when the environment is owned by one of the given users or groups',
  resourceRef: awsEnvironmentResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the users and groups to match against the owner',
      ),
  }),
  apply: (entity, { claims }) => {
    const wanted = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
    return owners(entity).some(owner => wanted.has(owner));
  },
  toQuery: () => {
    // Environments are never listed through a query of this plugin; decisions are applied to loaded entities.
    throw new NotImplementedError('IS_ENVIRONMENT_OWNER has no query form');
  },
});

export const awsEnvironmentsPermissionRules = { isEnvironmentOwner };

/** Condition factories for policy authors: `awsEnvironmentsConditions.isEnvironmentOwner({ claims })`. */
export const {
  conditions: awsEnvironmentsConditions,
  createConditionalDecision: createAwsEnvironmentsConditionalDecision,
} = createConditionExports({
  resourceRef: awsEnvironmentResourceRef,
  rules: awsEnvironmentsPermissionRules,
});

function isPlatformTeamMember(
  ownershipEntityRefs: string[],
  platformTeam: string,
): boolean {
  const team = platformTeam.toLocaleLowerCase('en-US');
  return ownershipEntityRefs.some(
    ref => ref.toLocaleLowerCase('en-US') === team,
  );
}

/**
 * The default decision of the environment resource permissions (findings, manage, refresh, image repository): the
 * platform team for every environment, everyone else for those their user or groups own. A permission policy calls
 * this with the user's ownership refs (from the user info service).
 */
export function ownerOrPlatformTeamDecision(
  permission: ResourcePermission<typeof AWS_ENVIRONMENT_RESOURCE_TYPE>,
  ownershipEntityRefs: string[],
  options: { platformTeam: string },
): PolicyDecision {
  if (isPlatformTeamMember(ownershipEntityRefs, options.platformTeam)) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (!ownershipEntityRefs.length) {
    return { result: AuthorizeResult.DENY };
  }
  return createAwsEnvironmentsConditionalDecision(
    permission,
    awsEnvironmentsConditions.isEnvironmentOwner({
      claims: ownershipEntityRefs,
    }),
  );
}

/** `aws-environments.findings.read`: see `ownerOrPlatformTeamDecision`. */
export function findingsReadDecision(
  ownershipEntityRefs: string[],
  options: { platformTeam: string },
): PolicyDecision {
  return ownerOrPlatformTeamDecision(
    awsEnvironmentsFindingsReadPermission,
    ownershipEntityRefs,
    options,
  );
}
