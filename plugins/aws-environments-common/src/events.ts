/**
 * Events-service topic published when an environment's stacks were created, changed or deleted, so that the
 * catalog provider and the insights backend refresh at once instead of at their next scheduled run. Payload:
 * `{ environment, accountId?, region? }`.
 */
export const ENVIRONMENTS_CHANGED_TOPIC = 'aws-environments.changed';
