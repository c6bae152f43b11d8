/** The simulated CloudFormation's commands for change sets: creating, describing, listing, executing and deleting them. */
import type { CommandHandlers } from '../types';
import { validationError, type CloudFormationEngine } from './engine';
import {
  describeChangeSet,
  regionReader,
  rememberToken,
  replayToken,
  requireBody,
  type StackCommandInput,
} from './views';

export function changeSetCommands(
  engine: CloudFormationEngine,
): CommandHandlers {
  const region = regionReader(engine);

  return {
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
  };
}
