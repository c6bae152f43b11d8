import { awsError } from '../errors';
import { SeededRandom } from '../random';
import type { CommandHandlers } from '../types';
import {
  CloudFormationEngine,
  validationError,
  type RegionState,
} from './engine';
import type { ChangeSetRecord, StackRecord, Tag } from './model';
import { requiredCapabilities } from './template';

const PAGE_SIZE = 100;

function page<T>(items: T[], token: string | undefined, size = PAGE_SIZE) {
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

function driftInformation(stack: StackRecord) {
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

function describeChangeSet(
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

function summary(stack: StackRecord) {
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

function resourceDriftStatus(stack: StackRecord, id: string): string {
  if (stack.driftStatus === 'NOT_CHECKED') return 'NOT_CHECKED';
  return stack.outOfBandChange?.logicalId === id ? 'MODIFIED' : 'IN_SYNC';
}

function resourceView(stack: StackRecord, id: string) {
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

type StackCommandInput = {
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

function requireBody(input: StackCommandInput): string {
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
function replayToken(
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

function rememberToken(
  state: RegionState,
  token: string | undefined,
  command: string,
  stackId: string,
) {
  if (token) state.tokens.set(token, { command, stackId });
}

export function cloudFormationHandlers(
  engine: CloudFormationEngine,
  seed: number,
): CommandHandlers {
  const region = (ctx: { accountId: string; region: string }) => {
    const state = engine.region(ctx.accountId, ctx.region);
    engine.advance(state);
    return state;
  };

  return {
    ValidateTemplate: (
      ctx,
      input: { TemplateBody?: string; TemplateURL?: string },
    ) => {
      region(ctx);
      const template = engine.validated(requireBody(input));
      const capabilities = requiredCapabilities(template);
      return {
        Parameters: Object.entries(template.Parameters ?? {}).map(
          ([ParameterKey, p]) => ({
            ParameterKey,
            ...(p.Default !== undefined
              ? { DefaultValue: String(p.Default) }
              : {}),
            NoEcho: Boolean(p.NoEcho),
            ...(p.Description ? { Description: p.Description } : {}),
          }),
        ),
        ...(template.Description ? { Description: template.Description } : {}),
        ...(capabilities.length
          ? {
              Capabilities: capabilities,
              CapabilitiesReason:
                'The following resource(s) require capabilities: [AWS::IAM::Role]',
            }
          : {}),
        DeclaredTransforms: [],
      };
    },

    CreateStack: (ctx, input: StackCommandInput) => {
      const state = region(ctx);
      const replay = replayToken(
        state,
        input.ClientRequestToken,
        'CreateStack',
        input.StackName,
      );
      if (replay) return { StackId: replay };
      const stack = engine.createStack(state, {
        stackName: input.StackName ?? '',
        templateBody: requireBody(input),
        parameters: input.Parameters ?? [],
        tags: input.Tags ?? [],
        capabilities: input.Capabilities ?? [],
        clientRequestToken: input.ClientRequestToken,
        disableRollback:
          input.DisableRollback ?? input.OnFailure === 'DO_NOTHING',
        terminationProtection: input.EnableTerminationProtection,
        roleArn: input.RoleARN,
        notificationArns: input.NotificationARNs,
      });
      if (input.StackPolicyBody) stack.stackPolicyBody = input.StackPolicyBody;
      rememberToken(
        state,
        input.ClientRequestToken,
        'CreateStack',
        stack.stackId,
      );
      return { StackId: stack.stackId };
    },

    UpdateStack: (ctx, input: StackCommandInput) => {
      const state = region(ctx);
      const replay = replayToken(
        state,
        input.ClientRequestToken,
        'UpdateStack',
        input.StackName,
      );
      if (replay) return { StackId: replay };
      const stack = engine.requireStack(state, input.StackName);
      engine.updateStack(stack, {
        stackName: stack.stackName,
        templateBody: input.UsePreviousTemplate ? '' : requireBody(input),
        usePreviousTemplate: input.UsePreviousTemplate,
        parameters: input.Parameters ?? [],
        tags: input.Tags ?? [],
        capabilities: input.Capabilities ?? [],
        clientRequestToken: input.ClientRequestToken,
        disableRollback: input.DisableRollback,
      });
      if (input.StackPolicyBody) stack.stackPolicyBody = input.StackPolicyBody;
      rememberToken(
        state,
        input.ClientRequestToken,
        'UpdateStack',
        stack.stackId,
      );
      return { StackId: stack.stackId };
    },

    DeleteStack: (ctx, input: StackCommandInput) => {
      const state = region(ctx);
      if (
        replayToken(
          state,
          input.ClientRequestToken,
          'DeleteStack',
          input.StackName,
        )
      )
        return {};
      // Deleting a stack that does not exist succeeds silently, as in CloudFormation.
      const stack = input.StackName
        ? engine.findStack(state, input.StackName)
        : undefined;
      if (!input.StackName) throw validationError('StackName is required');
      if (!stack) return {};
      engine.deleteStack(stack, {
        clientRequestToken: input.ClientRequestToken,
        retainResources: input.RetainResources,
      });
      rememberToken(
        state,
        input.ClientRequestToken,
        'DeleteStack',
        stack.stackId,
      );
      return {};
    },

    DescribeStacks: (
      ctx,
      input: { StackName?: string; NextToken?: string },
    ) => {
      const state = region(ctx);
      if (input.StackName) {
        return {
          Stacks: [describeStack(engine.requireStack(state, input.StackName))],
        };
      }
      const { slice, next } = page(engine.liveStacks(state), input.NextToken);
      return {
        Stacks: slice.map(describeStack),
        ...(next ? { NextToken: next } : {}),
      };
    },

    ListStacks: (
      ctx,
      input: { StackStatusFilter?: string[]; NextToken?: string },
    ) => {
      const state = region(ctx);
      const filter = input.StackStatusFilter?.length
        ? new Set(input.StackStatusFilter)
        : undefined;
      const stacks = [...state.stacks]
        .reverse()
        .filter(s => !filter || filter.has(s.status));
      const { slice, next } = page(stacks, input.NextToken);
      return {
        StackSummaries: slice.map(summary),
        ...(next ? { NextToken: next } : {}),
      };
    },

    DescribeStackEvents: (
      ctx,
      input: { StackName?: string; NextToken?: string },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      const newestFirst = [...stack.events].reverse();
      const { slice, next } = page(newestFirst, input.NextToken);
      return {
        StackEvents: slice.map(e => ({
          ...e,
          Timestamp: new Date(e.Timestamp),
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },

    DescribeStackResources: (
      ctx,
      input: {
        StackName?: string;
        LogicalResourceId?: string;
        PhysicalResourceId?: string;
      },
    ) => {
      const state = region(ctx);
      let stack: StackRecord | undefined;
      if (input.StackName) stack = engine.requireStack(state, input.StackName);
      else if (input.PhysicalResourceId) {
        stack = engine
          .liveStacks(state)
          .find(s =>
            Object.values(s.definition.resources).some(
              r => r.physicalId === input.PhysicalResourceId,
            ),
          );
        if (!stack)
          throw validationError(
            `Stack for ${input.PhysicalResourceId} does not exist`,
          );
      } else {
        throw validationError(
          'Either StackName or PhysicalResourceId must be specified.',
        );
      }
      const ids = Object.keys(stack.definition.resources).filter(
        id => !input.LogicalResourceId || id === input.LogicalResourceId,
      );
      return { StackResources: ids.map(id => resourceView(stack!, id)) };
    },

    ListStackResources: (
      ctx,
      input: { StackName?: string; NextToken?: string },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      const { slice, next } = page(
        Object.keys(stack.definition.resources),
        input.NextToken,
      );
      return {
        StackResourceSummaries: slice.map(id => {
          const {
            StackName: _n,
            StackId: _i,
            Timestamp: _t,
            ...rest
          } = resourceView(stack, id);
          return rest;
        }),
        ...(next ? { NextToken: next } : {}),
      };
    },

    DescribeStackResource: (
      ctx,
      input: { StackName?: string; LogicalResourceId?: string },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      if (
        !input.LogicalResourceId ||
        !stack.definition.resources[input.LogicalResourceId]
      ) {
        throw validationError(
          `Resource ${input.LogicalResourceId} does not exist for stack ${stack.stackName}`,
        );
      }
      return {
        StackResourceDetail: {
          ...resourceView(stack, input.LogicalResourceId),
          Metadata: '{}',
        },
      };
    },

    GetTemplate: (
      ctx,
      input: { StackName?: string; ChangeSetName?: string },
    ) => {
      const state = region(ctx);
      if (input.ChangeSetName) {
        const { changeSet } = engine.findChangeSet(
          state,
          input.ChangeSetName,
          input.StackName,
        );
        return {
          TemplateBody: changeSet.templateBody,
          StagesAvailable: ['Original', 'Processed'],
        };
      }
      const stack = engine.requireStack(state, input.StackName);
      return {
        TemplateBody: stack.definition.templateBody,
        StagesAvailable: ['Original', 'Processed'],
      };
    },

    GetTemplateSummary: (
      ctx,
      input: { StackName?: string; TemplateBody?: string },
    ) => {
      const state = region(ctx);
      const body = input.StackName
        ? engine.requireStack(state, input.StackName).definition.templateBody
        : requireBody(input);
      const template = engine.validated(body);
      return {
        Parameters: Object.entries(template.Parameters ?? {}).map(
          ([ParameterKey, p]) => ({
            ParameterKey,
            ParameterType: p.Type,
            ...(p.Default !== undefined
              ? { DefaultValue: String(p.Default) }
              : {}),
            NoEcho: Boolean(p.NoEcho),
            ...(p.Description ? { Description: p.Description } : {}),
            ParameterConstraints: p.AllowedValues
              ? { AllowedValues: p.AllowedValues.map(String) }
              : {},
          }),
        ),
        Description: template.Description,
        Capabilities: requiredCapabilities(template),
        ResourceTypes: [
          ...new Set(Object.values(template.Resources).map(r => r.Type)),
        ],
        Version: template.AWSTemplateFormatVersion,
        DeclaredTransforms: [],
      };
    },

    CreateChangeSet: (
      ctx,
      input: StackCommandInput & {
        ChangeSetName?: string;
        ChangeSetType?: string;
        Description?: string;
        ClientToken?: string;
      },
    ) => {
      const state = region(ctx);
      if (!input.ChangeSetName)
        throw validationError('ChangeSetName is required');
      const type = (input.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
      if (type !== 'CREATE' && type !== 'UPDATE') {
        throw validationError(
          `ChangeSetType ${input.ChangeSetType} is not supported by the simulated organization`,
        );
      }
      if (input.ClientToken) {
        const existing = engine
          .findStack(state, input.StackName ?? '')
          ?.changeSets.find(c => c.clientToken === input.ClientToken);
        if (existing) {
          return {
            Id: existing.changeSetId,
            StackId: engine.findStack(state, input.StackName ?? '')!.stackId,
          };
        }
      }
      const changeSet = engine.createChangeSet(state, {
        stackName: input.StackName ?? '',
        changeSetName: input.ChangeSetName,
        changeSetType: type,
        description: input.Description,
        templateBody: input.UsePreviousTemplate ? '' : requireBody(input),
        usePreviousTemplate: input.UsePreviousTemplate,
        parameters: input.Parameters ?? [],
        tags: input.Tags ?? [],
        capabilities: input.Capabilities ?? [],
        clientToken: input.ClientToken,
        roleArn: input.RoleARN,
      });
      return { Id: changeSet.changeSetId, StackId: changeSet.stackId };
    },

    DescribeChangeSet: (
      ctx,
      input: { ChangeSetName?: string; StackName?: string },
    ) => {
      const state = region(ctx);
      const { stack, changeSet } = engine.findChangeSet(
        state,
        input.ChangeSetName ?? '',
        input.StackName,
      );
      return describeChangeSet(stack, changeSet, engine);
    },

    ListChangeSets: (ctx, input: { StackName?: string }) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      return {
        Summaries: stack.changeSets.map(c => ({
          StackId: stack.stackId,
          StackName: stack.stackName,
          ChangeSetId: c.changeSetId,
          ChangeSetName: c.changeSetName,
          ExecutionStatus: c.executionStatus,
          Status: engine.changeSetStatus(c),
          ...(c.failedReason ? { StatusReason: c.failedReason } : {}),
          CreationTime: new Date(c.createdAt),
        })),
      };
    },

    ExecuteChangeSet: (
      ctx,
      input: {
        ChangeSetName?: string;
        StackName?: string;
        ClientRequestToken?: string;
        DisableRollback?: boolean;
      },
    ) => {
      const state = region(ctx);
      const { stack, changeSet } = engine.findChangeSet(
        state,
        input.ChangeSetName ?? '',
        input.StackName,
      );
      if (
        replayToken(
          state,
          input.ClientRequestToken,
          'ExecuteChangeSet',
          stack.stackName,
        )
      )
        return {};
      engine.executeChangeSet(
        stack,
        changeSet,
        input.ClientRequestToken,
        input.DisableRollback,
      );
      rememberToken(
        state,
        input.ClientRequestToken,
        'ExecuteChangeSet',
        stack.stackId,
      );
      return {};
    },

    DeleteChangeSet: (
      ctx,
      input: { ChangeSetName?: string; StackName?: string },
    ) => {
      const state = region(ctx);
      const { stack, changeSet } = engine.findChangeSet(
        state,
        input.ChangeSetName ?? '',
        input.StackName,
      );
      engine.deleteChangeSet(stack, changeSet);
      return {};
    },

    UpdateTerminationProtection: (
      ctx,
      input: { StackName?: string; EnableTerminationProtection?: boolean },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      stack.terminationProtection = Boolean(input.EnableTerminationProtection);
      return { StackId: stack.stackId };
    },

    SetStackPolicy: (
      ctx,
      input: { StackName?: string; StackPolicyBody?: string },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      if (input.StackPolicyBody) {
        try {
          JSON.parse(input.StackPolicyBody);
        } catch {
          throw validationError(
            'Error validating stack policy: Invalid stack policy',
          );
        }
      }
      stack.stackPolicyBody = input.StackPolicyBody;
      return {};
    },

    GetStackPolicy: (ctx, input: { StackName?: string }) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      return stack.stackPolicyBody
        ? { StackPolicyBody: stack.stackPolicyBody }
        : {};
    },

    DetectStackDrift: (ctx, input: { StackName?: string }) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      if (stack.status.endsWith('_IN_PROGRESS')) {
        throw validationError(
          `Drift detection is not supported for stack ${stack.stackName} in status ${stack.status}`,
        );
      }
      const id = SeededRandom.for(
        seed,
        stack.stackId,
        'drift',
        state.driftDetections.size,
      ).uuid();
      const at = ctx.now();
      state.driftDetections.set(id, { stackId: stack.stackId, at });
      stack.driftStatus = stack.outOfBandChange ? 'DRIFTED' : 'IN_SYNC';
      stack.driftCheckedAt = at;
      engine.changed(stack);
      return { StackDriftDetectionId: id };
    },

    DescribeStackDriftDetectionStatus: (
      ctx,
      input: { StackDriftDetectionId?: string },
    ) => {
      const state = region(ctx);
      const detection = state.driftDetections.get(
        input.StackDriftDetectionId ?? '',
      );
      if (!detection)
        throw validationError(
          `Drift detection ${input.StackDriftDetectionId} does not exist`,
        );
      const stack = state.stacks.find(s => s.stackId === detection.stackId)!;
      return {
        StackId: stack.stackId,
        StackDriftDetectionId: input.StackDriftDetectionId,
        StackDriftStatus: stack.outOfBandChange ? 'DRIFTED' : 'IN_SYNC',
        DetectionStatus: 'DETECTION_COMPLETE',
        DriftedStackResourceCount: stack.outOfBandChange ? 1 : 0,
        Timestamp: new Date(detection.at),
      };
    },

    DescribeStackResourceDrifts: (
      ctx,
      input: {
        StackName?: string;
        StackResourceDriftStatusFilters?: string[];
        NextToken?: string;
      },
    ) => {
      const state = region(ctx);
      const stack = engine.requireStack(state, input.StackName);
      const filter = input.StackResourceDriftStatusFilters?.length
        ? new Set(input.StackResourceDriftStatusFilters)
        : undefined;
      const drifts = Object.values(stack.definition.resources)
        .filter(r => r.status !== 'DELETE_COMPLETE')
        .map(r => {
          const change =
            stack.outOfBandChange?.logicalId === r.logicalId
              ? stack.outOfBandChange
              : undefined;
          const expected = JSON.stringify(r.properties);
          return {
            StackId: stack.stackId,
            LogicalResourceId: r.logicalId,
            PhysicalResourceId: r.physicalId,
            ResourceType: r.type,
            ExpectedProperties: expected,
            ActualProperties: change
              ? JSON.stringify({ ...r.properties, _drifted: true })
              : expected,
            PropertyDifferences: change
              ? change.differences.map(d => ({
                  PropertyPath: d.path,
                  ExpectedValue: d.expected,
                  ActualValue: d.actual,
                  DifferenceType: d.type,
                }))
              : [],
            StackResourceDriftStatus: change ? 'MODIFIED' : 'IN_SYNC',
            Timestamp: new Date(stack.driftCheckedAt ?? ctx.now()),
          };
        })
        .filter(d => !filter || filter.has(d.StackResourceDriftStatus));
      const { slice, next } = page(drifts, input.NextToken);
      return {
        StackResourceDrifts: slice,
        ...(next ? { NextToken: next } : {}),
      };
    },

    ListExports: (ctx, input: { NextToken?: string }) => {
      const state = region(ctx);
      const exports = engine.liveStacks(state).flatMap(s =>
        s.definition.outputs
          .filter(o => o.ExportName)
          .map(o => ({
            ExportingStackId: s.stackId,
            Name: o.ExportName,
            Value: o.OutputValue,
          })),
      );
      const { slice, next } = page(exports, input.NextToken);
      return { Exports: slice, ...(next ? { NextToken: next } : {}) };
    },
  };
}
