/**
 * Names shared by provisioning, discovery and insights. An environment name is DNS-safe (it becomes part of
 * stack, cluster and bucket names): lower-case letters, digits and hyphens, starting with a letter, 3 to 32
 * characters.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;

/** Layers of an environment, in an order that respects their dependencies. */
export const ENVIRONMENT_LAYERS = [
  'network',
  'security',
  'observability',
  'data',
  'compute',
  'edge',
] as const;
export type EnvironmentLayer = (typeof ENVIRONMENT_LAYERS)[number];

/** CloudFormation stack name of one layer of an environment, e.g. `innovate-dev-network`. */
export function stackNameFor(environment: string, layer: string): string {
  return `${environment}-${layer}`;
}
