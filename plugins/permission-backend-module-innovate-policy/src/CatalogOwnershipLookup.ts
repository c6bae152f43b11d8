import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ENVIRONMENT_RESOURCE_TYPE } from '@internal/plugin-aws-environments-common';
import type {
  OwnedResources,
  OwnershipLookup,
} from './InnovatePermissionPolicy';

/** Reads from the catalog which systems and environments a user's groups own. */
export class CatalogOwnershipLookup implements OwnershipLookup {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownedBy(ownershipEntityRefs: string[]): Promise<OwnedResources> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const { items } = await this.catalog.getEntities(
      {
        filter: [
          { kind: 'System', 'relations.ownedBy': ownershipEntityRefs },
          {
            kind: 'Resource',
            'spec.type': ENVIRONMENT_RESOURCE_TYPE,
            'relations.ownedBy': ownershipEntityRefs,
          },
        ],
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    return {
      systems: items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
        .map(e => stringifyEntityRef(e)),
      environments: items
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'resource')
        .map(e => e.metadata.name),
    };
  }
}
