import {
  CloudFormationClient,
  paginateDescribeStacks,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  type AwsAccountSummary,
  ENVIRONMENT_LAYERS,
  environmentNameProblem,
  TAG_ENVIRONMENT,
  TAG_LAYER,
} from '@internal/plugin-aws-environments-common';
import {
  type AwsClientFactory,
  type AwsTarget,
  environmentTags,
  loadBlueprint,
  planEnvironment,
  resolveParameters,
} from '@internal/plugin-aws-environments-node';
import { abortableClient } from './abortable';
import { SecretRegistry, maskingLogger } from './secrets';
import { type ProvisioningSettings, executionRoleArnFor } from './settings';
import type { EnvironmentAccess } from './access';
import type { OperationContext } from './stackOperations';

/** The blueprint functions the environment actions use; replaceable in tests. */
export interface BlueprintTools {
  loadBlueprint: typeof loadBlueprint;
  planEnvironment: typeof planEnvironment;
  resolveParameters: typeof resolveParameters;
  environmentTags: typeof environmentTags;
}

export const defaultBlueprintTools: BlueprintTools = {
  loadBlueprint,
  planEnvironment,
  resolveParameters,
  environmentTags,
};

/** What every action of this module is built from. */
export interface ActionDependencies {
  awsClients: AwsClientFactory;
  settings: ProvisioningSettings;
  /** Who may change which environment: decided on the environment as it is now. */
  access: EnvironmentAccess;
  blueprints?: BlueprintTools;
  /** The server log: full errors of failed steps go here, the task log gets their message. */
  logger?: LoggerService;
  /** Clock for the version checks (tests); now when absent. */
  now?: () => Date;
}

/** Allowlist check that reports as bad input, so it fails the task before any AWS call. */
export function assertTargetAllowed(
  awsClients: AwsClientFactory,
  target: AwsTarget,
): AwsAccountSummary {
  try {
    return awsClients.assertAllowed(target);
  } catch (error) {
    throw new InputError(`${(error as Error).message}.`);
  }
}

export function assertEnvironmentName(name: unknown): asserts name is string {
  const problem = environmentNameProblem(name);
  if (problem) throw new InputError(`Name: ${problem}`);
}

/** The task's CloudFormation client, its masking logger and wait settings, bundled for stack operations. */
export async function openOperation(
  ctx: ActionContext<any, any>,
  deps: ActionDependencies,
  target: AwsTarget,
  secrets: SecretRegistry,
  options: { useExecutionRole?: boolean } = {},
): Promise<OperationContext & { logger: LoggerService }> {
  for (const value of Object.values(ctx.secrets ?? {})) secrets.add(value);
  const client = await deps.awsClients.getClient(CloudFormationClient, target);
  return {
    client: abortableClient(client, ctx.signal),
    logger: maskingLogger(ctx.logger, secrets),
    signal: ctx.signal,
    settings: deps.settings,
    checkpoint: ctx.checkpoint.bind(ctx),
    taskId: ctx.task.id,
    ...(options.useExecutionRole === false
      ? {}
      : { roleArn: executionRoleArnFor(deps.settings, target) }),
  };
}

export interface EnvironmentStack {
  layer: string;
  stack: Stack;
}

function layerOf(stack: Stack, environment: string): string {
  const tagged = stack.Tags?.find(t => t.Key === TAG_LAYER)?.Value;
  if (tagged) return tagged;
  const prefix = `${environment}-`;
  return stack.StackName?.startsWith(prefix)
    ? stack.StackName.slice(prefix.length)
    : stack.StackName ?? '';
}

/** The environment's live stacks (tagged with its name), in layer order. */
export async function findEnvironmentStacks(
  client: CloudFormationClient,
  environment: string,
): Promise<EnvironmentStack[]> {
  const found: EnvironmentStack[] = [];
  for await (const page of paginateDescribeStacks({ client }, {})) {
    for (const stack of page?.Stacks ?? []) {
      const tag = stack.Tags?.find(t => t.Key === TAG_ENVIRONMENT)?.Value;
      if (tag !== environment || stack.StackStatus === 'DELETE_COMPLETE') {
        continue;
      }
      found.push({ layer: layerOf(stack, environment), stack });
    }
  }
  const rank = (layer: string) => {
    const index = (ENVIRONMENT_LAYERS as readonly string[]).indexOf(layer);
    return index < 0 ? ENVIRONMENT_LAYERS.length : index;
  };
  return found.sort((a, b) => rank(a.layer) - rank(b.layer));
}
