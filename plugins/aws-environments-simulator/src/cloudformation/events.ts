/** The events of simulated stacks, as DescribeStackEvents shows them. */
import { SeededRandom } from '../random';
import type { ScheduledStep, StackEventRecord, StackRecord } from './model';

/** The event of a step of a stack operation; `eventNumber` is its position in the stack's events. */
export function stackEvent(
  seed: number,
  stack: StackRecord,
  eventNumber: number,
  at: number,
  step: Pick<
    ScheduledStep,
    | 'logicalId'
    | 'resourceType'
    | 'status'
    | 'reason'
    | 'physicalId'
    | 'resource'
  >,
  clientRequestToken?: string,
): StackEventRecord {
  const isStack = step.resourceType === 'AWS::CloudFormation::Stack';
  const event: StackEventRecord = {
    EventId: isStack
      ? SeededRandom.for(
          seed,
          stack.stackName,
          stack.creationTime,
          eventNumber,
        ).uuid()
      : `${step.logicalId}-${step.status}-${new Date(at).toISOString()}`,
    StackId: stack.stackId,
    StackName: stack.stackName,
    LogicalResourceId: step.logicalId,
    PhysicalResourceId: step.physicalId ?? '',
    ResourceType: step.resourceType,
    Timestamp: at,
    ResourceStatus: step.status,
    ...(step.reason ? { ResourceStatusReason: step.reason } : {}),
    // CloudFormation shows the requested properties once, on the event that starts the resource.
    ...(step.resource &&
    !step.reason &&
    step.status.endsWith('IN_PROGRESS') &&
    !isStack
      ? { ResourceProperties: JSON.stringify(step.resource.properties) }
      : {}),
    ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
  };
  return event;
}
