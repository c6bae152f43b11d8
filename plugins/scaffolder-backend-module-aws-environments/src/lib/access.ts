import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGION,
  AWS_ENVIRONMENT_RESOURCE_TYPE,
  ENVIRONMENT_LAYERS,
  ENVIRONMENT_RESOURCE_TYPE,
  TAG_OWNER,
  TAG_SYSTEM,
  awsEnvironmentsEnvironmentManagePermission,
  awsEnvironmentsEnvironmentTransferPermission,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import {
  awsEnvironmentResourceRef,
  awsEnvironmentsPermissionRules,
} from '@internal/plugin-aws-environments-node';
import { describeStack } from './stackOperations';

/** An environment as it is now, which is what decisions about it are made on. */
export interface CurrentEnvironment {
  name: string;
  entityRef: string;
  owner?: string;
  system?: string;
  /** Where owner and system were read: the catalog entity, or the stacks' tags when the catalog does not know it. */
  source: 'catalog' | 'stack-tags';
  accountId?: string;
  region?: string;
  /** The entity the decision is applied to (the catalog's, or one made from the stacks' tags). */
  entity: Entity;
}

/** What the actions need to know about the person who started the task. */
export interface Initiator {
  credentials: BackstageCredentials;
  /** The user's own ref and groups; undefined for a service (which the permission framework decides for itself). */
  ownershipEntityRefs?: string[];
  userEntityRef?: string;
}

/** Ownership and existence checks of the environment actions, on the catalog and the permission framework. */
export interface EnvironmentAccess {
  initiator(
    getCredentials: () => Promise<BackstageCredentials>,
  ): Promise<Initiator>;
  /** The environment's catalog entity, or its stacks in the given account and Region; undefined when neither exists. */
  current(
    name: string,
    client?: CloudFormationClient,
  ): Promise<CurrentEnvironment | undefined>;
  /** Throws `NotAllowedError` unless the initiator may do `what` to the environment as it is now. */
  assertMayManage(
    initiator: Initiator,
    environment: CurrentEnvironment,
    what: string,
  ): Promise<void>;
  /**
   * Owner and system of a new environment, or new ones of an existing environment: both must exist in the catalog;
   * an owner outside the initiator's own groups, or any change of an existing environment's owner or system, needs
   * the transfer permission.
   */
  assertMayAssign(
    initiator: Initiator,
    request: { name: string; owner?: string; system?: string },
    current?: CurrentEnvironment,
  ): Promise<void>;
  /** Throws `ConflictError` when an environment of that name exists (the catalog, or stacks in the target). */
  assertNameFree(name: string, client: CloudFormationClient): Promise<void>;
  /** Throws `NotAllowedError` unless the initiator may manage `permission` on `entity` (e.g. a component). */
  assertAllowedOn(
    initiator: Initiator,
    permission: ResourcePermission<typeof AWS_ENVIRONMENT_RESOURCE_TYPE>,
    entity: Entity,
    message: string,
  ): Promise<void>;
  /** A component's catalog entity (decisions on its image repository). */
  component(name: string): Promise<Entity | undefined>;
}

const authorizeLocally = createConditionAuthorizer(
  Object.values(awsEnvironmentsPermissionRules),
);

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

export function normalizeRef(
  ref: string,
  defaultKind: 'group' | 'system',
): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  );
}

export function environmentEntityRef(name: string): string {
  return stringifyEntityRef({ kind: 'Resource', namespace: 'default', name });
}

function entityFromTags(name: string, owner?: string, system?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: ENVIRONMENT_RESOURCE_TYPE,
      ...(owner ? { owner } : {}),
      ...(system ? { system } : {}),
    },
    relations: owner ? [{ type: RELATION_OWNED_BY, targetRef: owner }] : [],
  };
}

function tag(stacks: Stack[], key: string): string | undefined {
  for (const stack of stacks) {
    const value = stack.Tags?.find(t => t.Key === key)?.Value;
    if (value) return value;
  }
  return undefined;
}

/** A stack that holds nothing yet: a change set previewed for a stack that was never created. */
export function isLive(stack: Stack | undefined): stack is Stack {
  return Boolean(
    stack &&
      stack.StackStatus !== 'DELETE_COMPLETE' &&
      stack.StackStatus !== 'REVIEW_IN_PROGRESS',
  );
}

/** The catalog and the permission framework behind `EnvironmentAccess`. */
export class CatalogEnvironmentAccess implements EnvironmentAccess {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      logger?: LoggerService;
    },
  ) {}

  async initiator(
    getCredentials: () => Promise<BackstageCredentials>,
  ): Promise<Initiator> {
    const credentials = await getCredentials();
    if (!this.options.auth.isPrincipal(credentials, 'user')) {
      return { credentials };
    }
    const info = await this.options.userInfo.getUserInfo(credentials);
    return {
      credentials,
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  private async entity(ref: string): Promise<Entity | undefined> {
    return this.options.catalog.getEntityByRef(ref, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
  }

  async current(
    name: string,
    client?: CloudFormationClient,
  ): Promise<CurrentEnvironment | undefined> {
    const entityRef = environmentEntityRef(name);
    const entity = await this.entity(entityRef);
    if (entity) {
      const spec = (entity.spec ?? {}) as { owner?: unknown; system?: unknown };
      const annotations = entity.metadata.annotations ?? {};
      return {
        name,
        entityRef,
        source: 'catalog',
        entity,
        ...(typeof spec.owner === 'string'
          ? { owner: normalizeRef(spec.owner, 'group') }
          : {}),
        ...(typeof spec.system === 'string'
          ? { system: normalizeRef(spec.system, 'system') }
          : {}),
        accountId: annotations[ANNOTATION_ACCOUNT_ID],
        region: annotations[ANNOTATION_REGION],
      };
    }
    if (!client) return undefined;
    const stacks = (
      await Promise.all(
        ENVIRONMENT_LAYERS.map(layer =>
          describeStack(client, stackNameFor(name, layer)),
        ),
      )
    ).filter(isLive);
    if (stacks.length === 0) return undefined;
    const owner = tag(stacks, TAG_OWNER);
    const system = tag(stacks, TAG_SYSTEM);
    return {
      name,
      entityRef,
      source: 'stack-tags',
      owner,
      system,
      entity: entityFromTags(name, owner, system),
    };
  }

  private async allowed(
    initiator: Initiator,
    permission: ResourcePermission<typeof AWS_ENVIRONMENT_RESOURCE_TYPE>,
    entity: Entity,
    catalogRef?: string,
  ): Promise<boolean> {
    const { permissions } = this.options;
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials: initiator.credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result === AuthorizeResult.DENY) return false;
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      decision.pluginId === awsEnvironmentResourceRef.pluginId &&
      decision.resourceType === awsEnvironmentResourceRef.resourceType
    ) {
      return authorizeLocally(decision, entity);
    }
    // Conditions of another plugin: only the permission framework can apply them, and only to a catalog entity.
    if (!catalogRef) return false;
    const [byRef] = await permissions.authorize(
      [{ permission, resourceRef: catalogRef }],
      { credentials: initiator.credentials },
    );
    return byRef.result === AuthorizeResult.ALLOW;
  }

  async assertMayManage(
    initiator: Initiator,
    environment: CurrentEnvironment,
    what: string,
  ): Promise<void> {
    const ok = await this.allowed(
      initiator,
      awsEnvironmentsEnvironmentManagePermission,
      environment.entity,
      environment.source === 'catalog' ? environment.entityRef : undefined,
    );
    if (!ok) {
      throw new NotAllowedError(
        `${environment.name} belongs to ${
          environment.owner ?? 'no team'
        }: only its owners and the platform team may ${what} it.`,
      );
    }
  }

  async assertMayAssign(
    initiator: Initiator,
    request: { name: string; owner?: string; system?: string },
    current?: CurrentEnvironment,
  ): Promise<void> {
    const owner = request.owner
      ? normalizeRef(request.owner, 'group')
      : undefined;
    const system = request.system
      ? normalizeRef(request.system, 'system')
      : undefined;
    const [ownerEntity, systemEntity] = await Promise.all([
      owner && owner !== current?.owner ? this.entity(owner) : undefined,
      system && system !== current?.system ? this.entity(system) : undefined,
    ]);
    if (owner && owner !== current?.owner && !ownerEntity) {
      throw new InputError(
        `Owner: ${owner} is not a group in the catalog; pick the team that owns and pays for the environment.`,
      );
    }
    if (system && system !== current?.system && !systemEntity) {
      throw new InputError(
        `System: ${system} is not a system in the catalog; pick the system the environment runs.`,
      );
    }

    const changes: string[] = [];
    if (current && owner && owner !== current.owner) {
      changes.push(`its owner from ${current.owner ?? 'none'} to ${owner}`);
    }
    if (current && system && system !== current.system) {
      changes.push(`its system from ${current.system ?? 'none'} to ${system}`);
    }
    const claims = new Set((initiator.ownershipEntityRefs ?? []).map(lower));
    const foreignOwner =
      !current && owner && initiator.ownershipEntityRefs && !claims.has(lower(owner));
    if (changes.length === 0 && !foreignOwner) return;

    const subject = current?.entity ?? entityFromTags(request.name, owner, system);
    const ok = await this.allowed(
      initiator,
      awsEnvironmentsEnvironmentTransferPermission,
      subject,
      current?.source === 'catalog' ? current.entityRef : undefined,
    );
    if (ok) return;
    if (foreignOwner) {
      throw new NotAllowedError(
        `Owner: you may create environments for your own teams only, not for ${owner}; ask the platform team to create it for another team.`,
      );
    }
    throw new NotAllowedError(
      `Changing ${changes.join(' and ')} of ${request.name} is for the platform team; leave Owner and System as they are.`,
    );
  }

  async assertNameFree(name: string, client: CloudFormationClient) {
    const existing = await this.current(name, client);
    if (!existing) return;
    const where =
      existing.source === 'catalog'
        ? `owner ${existing.owner ?? 'unknown'}${
            existing.accountId
              ? `, account ${existing.accountId} ${existing.region ?? ''}`.trimEnd()
              : ''
          }`
        : `its stacks are in this account, owner ${existing.owner ?? 'unknown'}`;
    throw new ConflictError(
      `${name} already exists (${where}). Pick another name, or use the "Update an AWS environment" template to change it.`,
    );
  }

  async assertAllowedOn(
    initiator: Initiator,
    permission: ResourcePermission<typeof AWS_ENVIRONMENT_RESOURCE_TYPE>,
    entity: Entity,
    message: string,
  ): Promise<void> {
    const ref = entity.metadata.uid ? stringifyEntityRef(entity) : undefined;
    if (!(await this.allowed(initiator, permission, entity, ref))) {
      throw new NotAllowedError(message);
    }
  }

  /** A component's catalog entity, for decisions on its image repository. */
  async component(name: string): Promise<Entity | undefined> {
    return this.entity(
      stringifyEntityRef({ kind: 'Component', namespace: 'default', name }),
    );
  }
}

/** An entity standing for a stack whose only record of ownership is its tags. */
export function entityOwnedBy(
  kind: string,
  name: string,
  owner?: string,
): Entity {
  return {
    ...entityFromTags(name, owner),
    kind,
  };
}
