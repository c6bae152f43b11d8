/**
 * Innovate's permission policy: the platform team may do everything; production is the platform team's alone,
 * decided on what a template step is asked to do; application teams act on what they own.
 *
 * @packageDocumentation
 */
export { permissionModuleInnovatePolicy as default } from './module';
export {
  IMAGE_REPOSITORY_PLATFORM_TEMPLATE,
  InnovatePermissionPolicy,
  MUTATING_ENVIRONMENT_ACTIONS,
  type InnovatePermissionPolicyOptions,
  type OwnedResources,
  type OwnershipLookup,
} from './InnovatePermissionPolicy';
export { CatalogOwnershipLookup } from './CatalogOwnershipLookup';
