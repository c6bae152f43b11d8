/** What the simulated CloudFormation's command handlers share: paging, the shapes of its answers, request tokens. */
import { awsError } from '../errors';
import {
  validationError,
  type CloudFormationEngine,
  type RegionState,
} from './engine';
import type { ChangeSetRecord, StackRecord, Tag } from './model';

export const PAGE_SIZE = 100;

export function page<T>(
  items: T[],
  token: string | undefined,
  size = PAGE_SIZE,
) {
  const start = token
    ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0
    : 0;
  const slice = items.slice(start, start + size);
  const next =
    start + size < items.length
      ? Buffer.from(String(start + size)).toString('base64')
      : undefined;
  return { slice, next };
}

export function driftInformation(stack: StackRecord) {
  return {
    StackDriftStatus: stack.driftStatus,
    ...(stack.driftCheckedAt
      ? { LastCheckTimestamp: new Date(stack.driftCheckedAt) }
      : {}),
  };
}

export function describeStack(stack: StackRecord) {
  const d = stack.definition;
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ...(stack.changeSets.length && stack.status === 'REVIEW_IN_PROGRESS'
      ? { ChangeSetId: stack.changeSets[0].changeSetId }
      : {}),
    ...(d.description ? { Description: d.description } : {}),
    Parameters: Object.entries(d.parameters).map(
      ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
    ),
    CreationTime: new Date(stack.creationTime),
    ...(stack.lastUpdatedTime
      ? { LastUpdatedTime: new Date(stack.lastUpdatedTime) }
      : {}),
    ...(stack.deletionTime
      ? { DeletionTime: new Date(stack.deletionTime) }
      : {}),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    ...(stack.statusReason ? { StackStatusReason: stack.statusReason } : {}),
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    ...(d.capabilities.length ? { Capabilities: d.capabilities } : {}),
    ...(d.outputs.length ? { Outputs: d.outputs } : {}),
    ...(stack.roleArn ? { RoleARN: stack.roleArn } : {}),
    Tags: d.tags,
    EnableTerminationProtection: stack.terminationProtection,
    DriftInformation: driftInformation(stack),
  };
}

export function describeChangeSet(
  stack: StackRecord,
  changeSet: ChangeSetRecord,
  engine: CloudFormationEngine,
) {
  const status = engine.changeSetStatus(changeSet);
  const ready = status !== 'CREATE_IN_PROGRESS';
  return {
    ChangeSetName: changeSet.changeSetName,
    ChangeSetId: changeSet.changeSetId,
    StackId: stack.stackId,
    StackName: stack.stackName,
    ...(changeSet.description ? { Description: changeSet.description } : {}),
    Parameters: Object.entries(changeSet.parameters).map(
      ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
    ),
    CreationTime: new Date(changeSet.createdAt),
    ExecutionStatus: ready ? changeSet.executionStatus : 'UNAVAILABLE',
    Status: status,
    ...(ready && changeSet.failedReason
      ? { StatusReason: changeSet.failedReason }
      : {}),
    NotificationARNs: stack.notificationArns,
    RollbackConfiguration: {},
    Capabilities: changeSet.capabilities,
    Tags: changeSet.tags,
    Changes: ready
      ? changeSet.changes.map(change => ({
          Type: 'Resource',
          HookInvocationCount: 0,
          ResourceChange: {
            Action: change.action,
            LogicalResourceId: change.logicalId,
            ...(change.physicalId
              ? { PhysicalResourceId: change.physicalId }
              : {}),
            ResourceType: change.type,
            ...(change.replacement ? { Replacement: change.replacement } : {}),
            Scope: change.changedProperties.length ? ['Properties'] : [],
            Details: change.changedProperties.map(p => ({
              Target: {
                Attribute: 'Properties',
                Name: p.name,
                RequiresRecreation: p.requiresRecreation,
              },
              Evaluation: 'Static',
              ChangeSource: 'DirectModification',
            })),
          },
        }))
      : [],
    IncludeNestedStacks: false,
  };
}

export function summary(stack: StackRecord) {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ...(stack.definition.description
      ? { TemplateDescription: stack.definition.description }
      : {}),
    CreationTime: new Date(stack.creationTime),
    ...(stack.lastUpdatedTime
      ? { LastUpdatedTime: new Date(stack.lastUpdatedTime) }
      : {}),
    ...(stack.deletionTime
      ? { DeletionTime: new Date(stack.deletionTime) }
      : {}),
    StackStatus: stack.status,
    ...(stack.statusReason ? { StackStatusReason: stack.statusReason } : {}),
    DriftInformation: driftInformation(stack),
  };
}

export function resourceDriftStatus(stack: StackRecord, id: string): string {
  if (stack.driftStatus === 'NOT_CHECKED') return 'NOT_CHECKED';
  return stack.outOfBandChange?.logicalId === id ? 'MODIFIED' : 'IN_SYNC';
}

export function resourceView(stack: StackRecord, id: string) {
  const r = stack.definition.resources[id];
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: r.logicalId,
    ...(r.physicalId ? { PhysicalResourceId: r.physicalId } : {}),
    ResourceType: r.type,
    Timestamp: new Date(r.timestamp),
    LastUpdatedTimestamp: new Date(r.timestamp),
    ResourceStatus: r.status,
    ...(r.statusReason ? { ResourceStatusReason: r.statusReason } : {}),
    DriftInformation: {
      StackResourceDriftStatus: resourceDriftStatus(stack, id),
    },
  };
}

export type StackCommandInput = {
  StackName?: string;
  TemplateBody?: string;
  TemplateURL?: string;
  Parameters?: Array<{
    ParameterKey?: string;
    ParameterValue?: string;
    UsePreviousValue?: boolean;
  }>;
  Tags?: Tag[];
  Capabilities?: string[];
  ClientRequestToken?: string;
  DisableRollback?: boolean;
  OnFailure?: string;
  EnableTerminationProtection?: boolean;
  RoleARN?: string;
  NotificationARNs?: string[];
  UsePreviousTemplate?: boolean;
  StackPolicyBody?: string;
  RetainResources?: string[];
};

export function requireBody(input: StackCommandInput): string {
  if (input.TemplateURL && !input.TemplateBody) {
    throw validationError(
      'TemplateURL is not supported by the simulated organization; pass TemplateBody.',
    );
  }
  return input.TemplateBody ?? '';
}

/**
 * ClientRequestToken: a retry of the same request returns what the first one did; the token used for another
 * request fails like CloudFormation's TokenAlreadyExistsException.
 */
export function replayToken(
  state: RegionState,
  token: string | undefined,
  command: string,
  stackName: string | undefined,
): string | undefined {
  if (!token) return undefined;
  const seen = state.tokens.get(token);
  if (!seen) return undefined;
  const stack = state.stacks.find(s => s.stackId === seen.stackId);
  if (
    seen.command === command &&
    stack &&
    (stack.stackName === stackName || stack.stackId === stackName)
  ) {
    return seen.stackId;
  }
  throw awsError(
    'cloudformation',
    'TokenAlreadyExistsException',
    `Another ${seen.command} request with ClientRequestToken ${token} was already made`,
  );
}

export function rememberToken(
  state: RegionState,
  token: string | undefined,
  command: string,
  stackId: string,
) {
  if (token) state.tokens.set(token, { command, stackId });
}

/** The state of the Region a request is for, with the operations that are due applied. */
export function regionReader(engine: CloudFormationEngine) {
  return (ctx: { accountId: string; region: string }): RegionState => {
    const state = engine.region(ctx.accountId, ctx.region);
    engine.advance(state);
    return state;
  };
}
