/** The simulated CloudFormation's commands for drift detection of stacks and their resources. */
import { SeededRandom } from '../random';
import type { CommandHandlers } from '../types';
import { validationError, type CloudFormationEngine } from './engine';
import { page, regionReader } from './views';

export function driftCommands(
  engine: CloudFormationEngine,
  seed: number,
): CommandHandlers {
  const region = regionReader(engine);

  return {
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
  };
}
