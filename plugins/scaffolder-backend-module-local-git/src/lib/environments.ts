import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';

// Mirrors @internal/plugin-aws-environments-common (annotations.ts); this module does not depend on it so that it
// can publish repositories on a portal without the AWS plugins.
const ENVIRONMENT_RESOURCE_TYPE = 'aws-environment';
const ANNOTATION_STAGE = 'aws.innovate.io/stage';
const ANNOTATION_ACCOUNT_ID = 'aws.innovate.io/account-id';
const ANNOTATION_REGION = 'aws.innovate.io/region';

/** What a generated project needs to know about an environment it deploys to. */
export type TargetEnvironment = {
  entityRef: string;
  name: string;
  stage: string;
  accountId: string;
  region: string;
};

function toTargetEnvironment(entity: Entity): TargetEnvironment {
  const annotations = entity.metadata.annotations ?? {};
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    stage: annotations[ANNOTATION_STAGE] ?? 'dev',
    accountId: annotations[ANNOTATION_ACCOUNT_ID] ?? '',
    region: annotations[ANNOTATION_REGION] ?? '',
  };
}

/**
 * Resolves environment refs (`innovate-dev` or `resource:default/innovate-dev`) against the catalog and refuses
 * the whole list when any of them is not an aws-environment Resource there.
 */
export async function resolveEnvironments(
  refs: string[],
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<TargetEnvironment[]> {
  if (refs.length === 0) {
    throw new InputError('Pick at least one target environment');
  }
  const entityRefs = refs.map(ref => {
    try {
      return stringifyEntityRef(
        parseEntityRef(ref, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(`'${ref}' is not an entity reference`);
    }
  });
  const unique = [...new Set(entityRefs)];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: unique },
    { credentials },
  );
  const missing = unique.filter((_ref, index) => {
    const entity = items[index];
    return (
      !entity ||
      entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
      (entity.spec as { type?: unknown } | undefined)?.type !==
        ENVIRONMENT_RESOURCE_TYPE
    );
  });
  if (missing.length > 0) {
    throw new InputError(
      `No such environment in the catalog: ${missing.join(
        ', ',
      )} (environments are Resources of type ${ENVIRONMENT_RESOURCE_TYPE})`,
    );
  }
  return items.map(entity => toTargetEnvironment(entity!));
}
