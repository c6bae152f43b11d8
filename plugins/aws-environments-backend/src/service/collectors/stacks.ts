import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  Stack,
  StackEvent as CfnStackEvent,
  StackResource as CfnStackResource,
  paginateDescribeStackEvents,
} from '@aws-sdk/client-cloudformation';
import type {
  StackDetail,
  StackEvent,
  StackHealth,
  StackResource,
} from '@internal/plugin-aws-environments-common';

/** How many of a stack's most recent events are kept: enough to read its last operation. */
export const RECENT_STACK_EVENTS = 25;

const RESOURCE_DRIFT_STATUSES = [
  'IN_SYNC',
  'MODIFIED',
  'DELETED',
  'NOT_CHECKED',
] as const;

export async function describeStackResources(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<CfnStackResource[]> {
  const { StackResources } = await cfn.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
  );
  return StackResources ?? [];
}

/** The stack's most recent events, newest first; reads only as many pages as that takes (usually one). */
export async function recentStackEvents(
  cfn: CloudFormationClient,
  stackName: string,
  limit = RECENT_STACK_EVENTS,
): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  for await (const page of paginateDescribeStackEvents(
    { client: cfn },
    { StackName: stackName },
  )) {
    events.push(...(page.StackEvents ?? []).map(toStackEvent));
    if (events.length >= limit) {
      break;
    }
  }
  return events.slice(0, limit);
}

function toStackEvent(event: CfnStackEvent): StackEvent {
  return {
    timestamp: (event.Timestamp ?? new Date(0)).toISOString(),
    logicalId: event.LogicalResourceId ?? event.StackName ?? '',
    resourceType: event.ResourceType,
    status: event.ResourceStatus ?? 'UNKNOWN',
    reason: event.ResourceStatusReason,
  };
}

export function toStackResource(resource: CfnStackResource): StackResource {
  const drift = resource.DriftInformation?.StackResourceDriftStatus;
  return {
    logicalId: resource.LogicalResourceId ?? '',
    physicalId: resource.PhysicalResourceId,
    type: resource.ResourceType ?? 'unknown',
    status: resource.ResourceStatus ?? 'UNKNOWN',
    statusReason: resource.ResourceStatusReason,
    driftStatus: (RESOURCE_DRIFT_STATUSES as readonly string[]).includes(
      drift ?? '',
    )
      ? (drift as StackResource['driftStatus'])
      : undefined,
  };
}

/**
 * Whether no stack operation ran since `previous` was collected, so that its events can be kept instead of read
 * again: every operation changes the stack's status or its last update time (or, recreated, its id).
 */
export function hasNoNewOperations(
  previous: StackDetail | undefined,
  stack: Stack,
): boolean {
  if (!previous || stack.StackStatus?.endsWith('_IN_PROGRESS')) {
    return false;
  }
  return (
    previous.stackId === stack.StackId &&
    previous.status === stack.StackStatus &&
    previous.lastUpdated ===
      (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString()
  );
}

/**
 * Whether the stack's resources are as they were when `previous` was collected: resources change through stack
 * operations, and their drift status through a drift detection, which changes the stack's drift check time.
 */
export function isStackUnchanged(
  previous: StackDetail | undefined,
  stack: Stack,
): boolean {
  return (
    hasNoNewOperations(previous, stack) &&
    previous?.driftCheckedAt ===
      stack.DriftInformation?.LastCheckTimestamp?.toISOString()
  );
}

/** A stack's detail from its `DescribeStacks` entry, its resources and its recent events. */
export function toStackDetail(
  health: StackHealth,
  stack: Stack | undefined,
  resources: StackResource[],
  events: StackEvent[],
): StackDetail {
  return {
    ...health,
    stackId: stack?.StackId,
    description: stack?.Description,
    createdAt: stack?.CreationTime?.toISOString(),
    driftCheckedAt: stack?.DriftInformation?.LastCheckTimestamp?.toISOString(),
    resources,
    outputs: (stack?.Outputs ?? []).map(output => ({
      key: output.OutputKey ?? '',
      value: output.OutputValue ?? '',
      description: output.Description,
      exportName: output.ExportName,
    })),
    events,
  };
}
