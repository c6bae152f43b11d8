import type { Entity } from '@backstage/catalog-model';
import { isAwsEnvironment } from '@internal/plugin-aws-environments-common';

/** True when the entity page should show the environment cards and the Infrastructure tab. */
export function isAwsEnvironmentAvailable(entity: Entity): boolean {
  return isAwsEnvironment(entity);
}
