import {
  DescribeStackDriftDetectionStatusCommand,
  DetectStackDriftCommand,
  paginateDescribeStackResourceDrifts,
} from '@aws-sdk/client-cloudformation';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ActionDependencies,
  assertEnvironmentName,
  assertTargetAllowed,
  findEnvironmentStacks,
  openOperation,
} from '../lib/actionSupport';
import { assertMayManageExisting } from '../lib/environmentRun';
import { StackWaitTimeoutError, TaskCancelledError } from '../lib/errors';
import { SecretRegistry } from '../lib/secrets';
import type { OperationContext } from '../lib/stackOperations';
import { examples } from './environmentDrift.examples';

interface StackDrift {
  stackName: string;
  driftStatus: string;
  driftedResources: Array<{
    logicalId: string;
    resourceType: string;
    status: string;
  }>;
}

/**
 * Drift detection has no SDK waiter, so the detection status is polled here: bounded by `maxWaitSeconds`, ended at
 * once by the task's signal.
 */
async function detectDrift(
  op: OperationContext,
  stackName: string,
): Promise<StackDrift> {
  const { StackDriftDetectionId } = await op.client.send(
    new DetectStackDriftCommand({ StackName: stackName }),
  );
  const deadline = Date.now() + op.settings.maxWaitSeconds * 1000;
  let lastLogAt = Date.now();
  for (;;) {
    const status = await op.client.send(
      new DescribeStackDriftDetectionStatusCommand({
        StackDriftDetectionId,
      }),
    );
    if (status.DetectionStatus === 'DETECTION_FAILED') {
      throw new ConflictError(
        `Drift detection of ${stackName} failed: ${
          status.DetectionStatusReason ?? 'no reason given'
        }`,
      );
    }
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      const driftedResources: StackDrift['driftedResources'] = [];
      for await (const page of paginateDescribeStackResourceDrifts(
        { client: op.client },
        {
          StackName: stackName,
          StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
        },
      )) {
        for (const drift of page?.StackResourceDrifts ?? []) {
          driftedResources.push({
            logicalId: drift.LogicalResourceId ?? '',
            resourceType: drift.ResourceType ?? '',
            status: drift.StackResourceDriftStatus ?? 'UNKNOWN',
          });
        }
      }
      const driftStatus = status.StackDriftStatus ?? 'UNKNOWN';
      op.logger.info(
        `${stackName}: ${driftStatus}${driftedResources
          .map(r => `\n  ${r.status} ${r.logicalId} (${r.resourceType})`)
          .join('')}`,
      );
      return { stackName, driftStatus, driftedResources };
    }
    if (Date.now() > deadline) {
      throw new StackWaitTimeoutError(
        `Drift detection of ${stackName} did not finish within ${op.settings.maxWaitSeconds} s`,
      );
    }
    if (Date.now() - lastLogAt >= op.settings.heartbeatSeconds * 1000) {
      op.logger.info(`Still detecting drift of ${stackName}`);
      lastLogAt = Date.now();
    }
    try {
      await sleep(op.settings.pollIntervalSeconds * 1000, undefined, {
        signal: op.signal,
      });
    } catch {
      throw new TaskCancelledError(
        `Cancelled while detecting drift of ${stackName}`,
      );
    }
  }
}

/** `innovate:environment:drift`: detects drift of every stack of an environment. */
export function createEnvironmentDriftAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:environment:drift',
    description:
      "Detects drift of an environment's stacks and reports the drifted resources.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Environment name' }),
        accountId: z => z.string({ description: 'AWS account id' }),
        region: z => z.string({ description: 'AWS Region' }),
      },
      output: {
        drift: z =>
          z.array(
            z.object({
              stackName: z.string(),
              driftStatus: z.string(),
              driftedResources: z.array(
                z.object({
                  logicalId: z.string(),
                  resourceType: z.string(),
                  status: z.string(),
                }),
              ),
            }),
            { description: 'Per stack: IN_SYNC or DRIFTED and what drifted' },
          ),
        drifted: z =>
          z.boolean({ description: 'True when any stack has drifted' }),
      },
    },
    async handler(ctx) {
      const { name, accountId, region } = ctx.input;
      assertEnvironmentName(name);
      assertTargetAllowed(deps.awsClients, { accountId, region });
      const op = await openOperation(
        ctx,
        deps,
        { accountId, region },
        new SecretRegistry(),
      );
      await assertMayManageExisting(deps, ctx, name, op.client, 'check drift of');
      const stacks = await findEnvironmentStacks(op.client, name);
      if (ctx.isDryRun) {
        op.logger.info(
          `Dry run: would detect drift of ${
            stacks.map(s => s.stack.StackName).join(', ') || 'no stacks'
          }`,
        );
        ctx.output('drift', []);
        ctx.output('drifted', false);
        return;
      }
      const drift = await Promise.all(
        stacks.map(s => detectDrift(op, s.stack.StackName!)),
      );
      ctx.output('drift', drift);
      ctx.output(
        'drifted',
        drift.some(d => d.driftStatus === 'DRIFTED'),
      );
    },
  });
}
