import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CatalogEnvironmentAccess } from '../lib/access';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The seeded organization and systems of the portal's catalog (catalog/org.yaml, catalog/systems.yaml). */
export function seededCatalogEntities(): Entity[] {
  return ['org.yaml', 'systems.yaml'].flatMap(file =>
    parseAllDocuments(
      fs.readFileSync(path.join(REPO_ROOT, 'catalog', file), 'utf8'),
    )
      .map(doc => doc.toJSON() as Entity)
      .filter(Boolean)
      .map(entity => ({
        ...entity,
        metadata: { namespace: 'default', ...entity.metadata },
      })),
  );
}

/**
 * Ownership checks on an in-memory catalog with the seeded organization, allowing everything unless told otherwise:
 * the action tests that are not about permissions run as a user the policy lets do anything.
 */
export function testAccess(
  options: {
    entities?: Entity[];
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  } = {},
) {
  return new CatalogEnvironmentAccess({
    catalog: catalogServiceMock({
      entities: [...seededCatalogEntities(), ...(options.entities ?? [])],
    }),
    auth: mockServices.auth(),
    permissions: mockServices.permissions({
      result: options.result ?? AuthorizeResult.ALLOW,
    }),
    userInfo: mockServices.userInfo(),
  });
}
