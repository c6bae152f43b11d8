import { createHash } from 'node:crypto';

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/**
 * Change set name owned by one task and stack: a re-run of the same task finds its own change set instead of
 * creating a second one. Letters, digits and hyphens only, as CloudFormation requires.
 */
export function changeSetNameFor(
  taskId: string,
  stackName: string,
  purpose: 'deploy' | 'preview' | 'release' = 'deploy',
): string {
  return `innovate-${purpose}-${digest(taskId, stackName).slice(0, 24)}`;
}

/**
 * ClientRequestToken for one mutation of one stack in one task: CloudFormation treats a repeated call with the
 * same token as the same request, so retries after a crash or a throttle never start a second operation.
 */
export function requestTokenFor(
  taskId: string,
  stackName: string,
  operation: string,
  attempt = 1,
): string {
  return `innovate-${operation}-${digest(
    taskId,
    stackName,
    operation,
    String(attempt),
  ).slice(0, 40)}`;
}

/** AWS console link to an environment's stacks. */
export function consoleUrlFor(region: string, environment: string): string {
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks?filteringText=${encodeURIComponent(
    environment,
  )}`;
}
