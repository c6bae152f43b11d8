import type { Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ENVIRONMENTS_CHANGED_TOPIC,
  ENVIRONMENT_LAYERS,
  TAG_STAGE,
  teardownConfirmationProblem,
} from '@internal/plugin-aws-environments-common';
import { assertMayManageExisting } from '../lib/environmentRun';
import {
  type ActionDependencies,
  assertEnvironmentName,
  assertTargetAllowed,
  defaultBlueprintTools,
  findEnvironmentStacks,
  openOperation,
} from '../lib/actionSupport';
import { runGraph } from '../lib/graph';
import { SecretRegistry } from '../lib/secrets';
import {
  type OperationContext,
  deleteStack,
  deployStack,
} from '../lib/stackOperations';
import { examples } from './environmentDestroy.examples';

/**
 * Which layers each layer depends on, from the blueprint; without a readable blueprint every layer is taken to
 * depend on all layers before it, which deletes one stack at a time in reverse order.
 */
async function layerDependencies(
  deps: ActionDependencies,
): Promise<Map<string, string[]>> {
  try {
    const tools = deps.blueprints ?? defaultBlueprintTools;
    const blueprint = await tools.loadBlueprint(deps.settings.blueprintDir);
    return new Map(blueprint.layers.map(l => [l.name, [...l.dependsOn]]));
  } catch {
    return new Map(
      ENVIRONMENT_LAYERS.map((layer, index) => [
        layer,
        ENVIRONMENT_LAYERS.slice(0, index) as string[],
      ]),
    );
  }
}

/** Parameter of the data and edge templates that turns the resources' own deletion protection off. */
const RELEASE_PARAMETER = 'ReleaseDeletionProtection';

function isProtected(stack: Stack): boolean {
  return Boolean(
    stack.EnableTerminationProtection ||
      stack.Tags?.some(t => t.Key === TAG_STAGE && t.Value === 'prod'),
  );
}

function holdsDeletionProtection(stack: Stack): boolean {
  const release = stack.Parameters?.find(
    p => p.ParameterKey === RELEASE_PARAMETER,
  );
  return Boolean(release) && release?.ParameterValue !== 'true';
}

/**
 * In prod the database and the load balancer have deletion protection of their own, which would make DeleteStack
 * fail half-way: an update with the current template and values, except `ReleaseDeletionProtection=true`, turns it
 * off first.
 */
async function releaseDeletionProtection(
  op: OperationContext,
  stack: Stack,
): Promise<void> {
  const stackName = stack.StackName!;
  op.logger.info(
    `${stackName}: turning off deletion protection of its resources`,
  );
  const parameters: Parameter[] = (stack.Parameters ?? []).map(p =>
    p.ParameterKey === RELEASE_PARAMETER
      ? { ParameterKey: RELEASE_PARAMETER, ParameterValue: 'true' }
      : { ParameterKey: p.ParameterKey, UsePreviousValue: true },
  );
  await deployStack(
    op,
    {
      stackName,
      templateBody: '',
      usePreviousTemplate: true,
      parameters,
      tags: stack.Tags ?? [],
      capabilities: stack.Capabilities ?? [],
      protect: false,
    },
    { purpose: 'release' },
  );
}

/**
 * `innovate:environment:destroy`: deletes an environment's stacks in reverse dependency order. Production stacks
 * and stacks with termination protection are refused unless `confirmProduction` is set.
 */
/** Tells the catalog and the insights backend that the environment is gone, so that neither shows it any longer. */
async function announceRemoval(
  events: EventsService | undefined,
  environment: { name: string; accountId: string; region: string },
): Promise<void> {
  await events?.publish({
    topic: ENVIRONMENTS_CHANGED_TOPIC,
    eventPayload: {
      environment: environment.name,
      accountId: environment.accountId,
      region: environment.region,
      removed: true,
    },
  });
}

export function createEnvironmentDestroyAction(
  deps: ActionDependencies & { events?: EventsService },
) {
  return createTemplateAction({
    id: 'innovate:environment:destroy',
    description:
      "Deletes an environment's stacks in reverse dependency order; refuses production or protected stacks unless confirmProduction is true.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Environment name' }),
        accountId: z => z.string({ description: 'AWS account id' }),
        region: z => z.string({ description: 'AWS Region' }),
        confirmName: z =>
          z
            .string({
              description:
                "The environment's name typed by the person tearing it down; when given, it must match name",
            })
            .optional(),
        confirmProduction: z =>
          z
            .boolean({
              description:
                'Required to delete prod or termination-protected stacks; protection is turned off first',
            })
            .optional(),
      },
      output: {
        deleted: z =>
          z.array(z.string(), { description: 'Stacks deleted, in order' }),
        skipped: z =>
          z.array(z.object({ stackName: z.string(), reason: z.string() }), {
            description: 'Stacks not deleted and why',
          }),
      },
    },
    async handler(ctx) {
      const { name, accountId, region } = ctx.input;
      const confirmProduction = ctx.input.confirmProduction === true;
      assertEnvironmentName(name);
      if (ctx.input.confirmName !== undefined) {
        const problem = teardownConfirmationProblem(ctx.input.confirmName, name);
        if (problem) throw new InputError(`Confirmation: ${problem} Nothing was deleted.`);
      }
      assertTargetAllowed(deps.awsClients, { accountId, region });
      const dependencies = await layerDependencies(deps);

      const op = await openOperation(
        ctx,
        deps,
        { accountId, region },
        new SecretRegistry(),
      );
      await assertMayManageExisting(deps, ctx, name, op.client, 'tear down');
      const stacks = await findEnvironmentStacks(op.client, name);
      const skipped: Array<{ stackName: string; reason: string }> = [];
      const deleted: string[] = [];
      if (stacks.length === 0) {
        op.logger.info(`${name} has no stacks in ${accountId} ${region}`);
        ctx.output('deleted', deleted);
        ctx.output('skipped', skipped);
        if (!ctx.isDryRun) {
          await announceRemoval(deps.events, { name, accountId, region });
        }
        return;
      }

      const protectedStacks = stacks.filter(s => isProtected(s.stack));
      if (protectedStacks.length > 0 && !confirmProduction) {
        throw new NotAllowedError(
          `${name} is a production or protected environment (${protectedStacks
            .map(s => s.stack.StackName)
            .join(
              ', ',
            )}); tick "This is a production environment and I mean to delete it" to delete it.`,
        );
      }

      const byLayer = new Map(stacks.map(s => [s.layer, s]));
      const order = stacks.map(s => s.stack.StackName!).reverse();
      if (ctx.isDryRun) {
        op.logger.info(`Dry run: would delete ${order.join(', ')}`);
        for (const stackName of order) {
          skipped.push({ stackName, reason: 'dry run' });
        }
        ctx.output('deleted', deleted);
        ctx.output('skipped', skipped);
        return;
      }

      op.logger.info(`Deleting ${name}: ${order.join(', ')}`);
      try {
        await runGraph(
          stacks.map(s => ({
            id: s.layer,
            dependsOn: (dependencies.get(s.layer) ?? []).filter(d =>
              byLayer.has(d),
            ),
          })),
          async node => {
            const { stack } = byLayer.get(node.id)!;
            if (
              confirmProduction &&
              isProtected(stack) &&
              holdsDeletionProtection(stack)
            ) {
              await releaseDeletionProtection(op, stack);
            }
            const outcome = await deleteStack(op, stack.StackName!, {
              disableProtection: confirmProduction,
            });
            if (outcome === 'deleted') deleted.push(stack.StackName!);
            else
              skipped.push({
                stackName: stack.StackName!,
                reason: 'already gone',
              });
          },
          { reverse: true },
        );
      } finally {
        // Whatever happened, the task shows what was removed before a failure.
        ctx.output('deleted', deleted);
        ctx.output('skipped', skipped);
      }
      op.logger.info(`${name}: deleted ${deleted.length} stack(s)`);
      await announceRemoval(deps.events, { name, accountId, region });
    },
  });
}
