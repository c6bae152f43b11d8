/** The simulated CloudFormation's commands for stacks, their resources, events, templates and policies, and exports. */
import type { CommandHandlers } from '../types';
import { validationError, type CloudFormationEngine } from './engine';
import type { StackRecord } from './model';
import { requiredCapabilities } from './template';
import {
  describeStack,
  page,
  regionReader,
  rememberToken,
  replayToken,
  requireBody,
  resourceView,
  summary,
  type StackCommandInput,
} from './views';

export function stackCommands(engine: CloudFormationEngine): CommandHandlers {
  const region = regionReader(engine);

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
