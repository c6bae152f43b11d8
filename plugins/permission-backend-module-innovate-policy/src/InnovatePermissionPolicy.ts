import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { actionExecutePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderActionConditionalDecision,
  scaffolderActionConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  awsEnvironmentsEnvironmentManagePermission,
  awsEnvironmentsEnvironmentRefreshPermission,
  awsEnvironmentsEnvironmentTransferPermission,
  awsEnvironmentsFindingsReadPermission,
  awsEnvironmentsImageRepositoryManagePermission,
} from '@internal/plugin-aws-environments-common';
import { ownerOrPlatformTeamDecision } from '@internal/plugin-aws-environments-node';

/** Permissions decided per entity: its owners and the platform team. */
/**
 * Permissions of an environment's owners and the platform team. Their conditions are this plugin's own
 * (`IS_ENVIRONMENT_OWNER`), so that a list endpoint applies one decision to every environment it lists instead of
 * asking about each one.
 */
const OWNER_PERMISSIONS = [
  awsEnvironmentsFindingsReadPermission,
  awsEnvironmentsEnvironmentManagePermission,
  awsEnvironmentsEnvironmentRefreshPermission,
  awsEnvironmentsImageRepositoryManagePermission,
];

/** Permissions of the platform team alone: handing an environment to another owner or system. */
const PLATFORM_TEAM_PERMISSIONS = [awsEnvironmentsEnvironmentTransferPermission];

/** Scaffolder actions that create, change or remove AWS resources. */
export const MUTATING_ENVIRONMENT_ACTIONS = [
  'innovate:environment:deploy',
  'innovate:environment:plan',
  'innovate:environment:destroy',
  'innovate:cloudformation:deploy',
];

/**
 * The one CloudFormation deploy application teams may run outside their environments: a component's image
 * repository in the shared-services account. `innovate:cloudformation:deploy` reads a `platformTemplate` from the
 * portal's own templates and fixes its stack name (`ecr-<component>`), account stage and pull accounts itself, so an
 * equality on this input is a real limit; a template path or stack name from the step would not be.
 */
export const IMAGE_REPOSITORY_PLATFORM_TEMPLATE = 'component-image-repository';

/** What the groups a user belongs to own in the catalog. */
export interface OwnedResources {
  /** Entity refs of systems, e.g. `system:default/innovate-web`. */
  systems: string[];
  /** Names of environment entities (their `metadata.name`, which the actions take as `name`). */
  environments: string[];
}

export interface OwnershipLookup {
  ownedBy(ownershipEntityRefs: string[]): Promise<OwnedResources>;
}

export interface InnovatePermissionPolicyOptions {
  /** Catalog ref of the platform team, e.g. `group:default/platform-team`. */
  platformTeam: string;
  /** Accounts whose stage is prod: any action input naming one of them is production. */
  prodAccountIds: string[];
  /** Accounts whose stage is shared (shared services): the only place application teams' image repositories go. */
  sharedAccountIds?: string[];
  ownership: OwnershipLookup;
  /**
   * Whether registering catalog locations is the platform team's alone. On the embedded default, where the catalog
   * also reads `file` locations from the backend's disk, it is; the application templates register what they publish
   * through their own step, which checks the file first.
   */
  platformTeamRegistersLocations?: boolean;
}

/** Backstage's permission to register a catalog location (`catalogLocationCreatePermission`). */
const CATALOG_LOCATION_CREATE = 'catalog.location.create';

type ActionCondition = PermissionCondition<'scaffolder-action'>;
type ActionCriteria = PermissionCriteria<ActionCondition>;

const anyOf = (criteria: ActionCriteria[]): ActionCriteria | undefined => {
  const [first, ...rest] = criteria;
  return first ? { anyOf: [first, ...rest] } : undefined;
};

/**
 * Innovate's permission policy.
 *
 * - Members of the platform team may do everything.
 * - Anyone else may run any template step except those that touch production — decided on what the step is
 *   asked to do (stage `prod`, or an account whose stage is prod), whatever the template is called — and may run
 *   the environment actions only for environments of systems their groups own (new environments) or for
 *   environments their groups own (update, tear down).
 * - Anyone may create a component's image repository in the shared-services account through the platform template
 *   `component-image-repository`, and no other CloudFormation there.
 * - An environment's security findings are visible to its owners (and the platform team); the same goes for changing
 *   or removing an existing environment (decided in the actions on the environment as it is now), asking for its
 *   insights now, and a component's image repository.
 * - Giving an environment another owner or system is the platform team's alone; so is registering catalog locations
 *   on the embedded default.
 * - Everything else is allowed, as in Backstage's default.
 */
export class InnovatePermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: InnovatePermissionPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.includes(this.options.platformTeam)) {
      return { result: AuthorizeResult.ALLOW };
    }

    for (const permission of OWNER_PERMISSIONS) {
      if (isPermission(request.permission, permission)) {
        return ownerOrPlatformTeamDecision(permission, claims, {
          platformTeam: this.options.platformTeam,
        });
      }
    }

    if (
      PLATFORM_TEAM_PERMISSIONS.some(
        permission => permission.name === request.permission.name,
      ) ||
      (this.options.platformTeamRegistersLocations &&
        request.permission.name === CATALOG_LOCATION_CREATE)
    ) {
      return { result: AuthorizeResult.DENY };
    }

    if (isPermission(request.permission, actionExecutePermission)) {
      return createScaffolderActionConditionalDecision(
        request.permission,
        await this.actionCriteria(claims),
      );
    }

    return { result: AuthorizeResult.ALLOW };
  }

  private async actionCriteria(claims: string[]): Promise<ActionCriteria> {
    const { hasActionId, hasStringProperty } = scaffolderActionConditions;

    const production: ActionCriteria[] = [
      hasStringProperty({ key: 'environment.stage', value: 'prod' }),
      hasStringProperty({ key: 'stage', value: 'prod' }),
      ...this.options.prodAccountIds.flatMap(accountId => [
        hasStringProperty({ key: 'accountId', value: accountId }),
        hasStringProperty({ key: 'environment.accountId', value: accountId }),
      ]),
    ];

    const owned = claims.length
      ? await this.options.ownership.ownedBy(claims)
      : { systems: [], environments: [] };
    const ownedTargets = anyOf([
      ...owned.systems.map(system =>
        hasStringProperty({ key: 'environment.system', value: system }),
      ),
      ...owned.environments.map(name =>
        hasStringProperty({ key: 'name', value: name }),
      ),
    ]);
    // Both lists are never empty: production always has its stage conditions, and the actions are constants.
    const notEnvironmentAction: ActionCriteria = {
      not: anyOf(
        MUTATING_ENVIRONMENT_ACTIONS.map(actionId => hasActionId({ actionId })),
      )!,
    };

    const sharedAccount = anyOf(
      (this.options.sharedAccountIds ?? []).map(accountId =>
        hasStringProperty({ key: 'accountId', value: accountId }),
      ),
    );
    const imageRepositoryStep: ActionCriteria | undefined = sharedAccount && {
      allOf: [
        hasActionId({ actionId: 'innovate:cloudformation:deploy' }),
        hasStringProperty({
          key: 'platformTemplate',
          value: IMAGE_REPOSITORY_PLATFORM_TEMPLATE,
        }),
        sharedAccount,
      ],
    };
    const allowedSteps = [
      notEnvironmentAction,
      ownedTargets,
      imageRepositoryStep,
    ].filter((criteria): criteria is ActionCriteria => Boolean(criteria));

    return {
      allOf: [{ not: anyOf(production)! }, anyOf(allowedSteps)!],
    };
  }
}
