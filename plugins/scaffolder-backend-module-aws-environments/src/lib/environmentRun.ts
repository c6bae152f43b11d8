import type { CloudFormationClient, Tag } from '@aws-sdk/client-cloudformation';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  TAG_LAYER,
  newEnvironmentNameProblem,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import {
  type EnvironmentBlueprint,
  type EnvironmentSpec,
  type PlannedStack,
  parseTemplate,
} from '@internal/plugin-aws-environments-node';
import {
  type ActionDependencies,
  type BlueprintTools,
  defaultBlueprintTools,
} from './actionSupport';
import {
  type EffectiveSetting,
  currentSettingsOf,
  maskSettings,
  secretSettingFields,
} from './currentSettings';
import {
  type EnvironmentRequest,
  assertPlacementAllowed,
  parseEnvironmentRequest,
  resolveEnvironmentSpec,
} from './environmentSpec';
import { runGraph } from './graph';
import { SecretRegistry, secretParameterKeys } from './secrets';
import {
  type OperationContext,
  type ResourceChangeSummary,
  type StackDeployment,
  deployStack,
  describeStack,
  stackOutputs,
} from './stackOperations';

export interface PreparedEnvironment {
  spec: EnvironmentSpec;
  blueprint: EnvironmentBlueprint;
  planned: PlannedStack[];
  tags: Tag[];
  tools: BlueprintTools;
  /** Per setting: current, requested and effective value, and whether it was kept, changed or defaulted. */
  settings: EffectiveSetting[];
}

/** A request checked as far as it can be without AWS, with the blueprint it will be deployed from. */
export interface CheckedRequest {
  request: EnvironmentRequest;
  blueprint: EnvironmentBlueprint;
  tools: BlueprintTools;
}

/**
 * Everything that can be checked without AWS: the request (zod, name, CIDR if given, prod rules), the allowlist and
 * the account's stage, and the blueprint. Throws `InputError` on the first problem.
 */
export async function checkEnvironmentRequest(
  rawSpec: unknown,
  deps: ActionDependencies,
): Promise<CheckedRequest> {
  const request = parseEnvironmentRequest(rawSpec);
  assertPlacementAllowed(deps.awsClients, request);
  const tools = deps.blueprints ?? defaultBlueprintTools;
  const blueprint = await tools.loadBlueprint(deps.settings.blueprintDir);
  return { request, blueprint, tools };
}

/** `create`: a new environment, refused when the name exists; `update`: an existing one, as its owners. */
export type EnvironmentMode = 'create' | 'update';

/**
 * Who may do this, decided on the environment as it is now, before anything changes. `create` refuses a name that
 * exists (the catalog, or stacks in the target account and Region) and checks the requested owner and system;
 * `update` needs the environment to exist, the initiator among its owners (or the platform team), and the transfer
 * permission for a new owner or system.
 */
export async function authorizeEnvironmentRequest(
  deps: Pick<ActionDependencies, 'access'>,
  ctx: {
    getInitiatorCredentials: () => Promise<BackstageCredentials>;
    checkpoint: OperationContext['checkpoint'];
  },
  request: EnvironmentRequest,
  client: CloudFormationClient,
  mode: EnvironmentMode,
  what = 'update',
): Promise<void> {
  const { access } = deps;
  const initiator = await access.initiator(() => ctx.getInitiatorCredentials());
  if (mode === 'create') {
    // Names that fit the rules but that AWS or the catalog keep for themselves; only new names, so that an
    // environment named so earlier can still be updated and torn down.
    const reserved = newEnvironmentNameProblem(request.name);
    if (reserved) throw new InputError(reserved);
    // A task that re-runs after a restart finds the stacks it created itself: the check passed once, for this task.
    await ctx.checkpoint({
      key: `environment.create-check.${request.name}`,
      fn: async () => {
        await access.assertNameFree(request.name, client);
        await access.assertMayAssign(initiator, request);
        return true;
      },
    });
    return;
  }
  const current = await access.current(request.name, client);
  if (!current) {
    throw new NotFoundError(
      `${request.name} does not exist in account ${request.accountId} ${request.region}; create it with the "New AWS environment" template.`,
    );
  }
  if (
    current.source === 'catalog' &&
    current.accountId &&
    (current.accountId !== request.accountId ||
      (current.region && current.region !== request.region))
  ) {
    throw new InputError(
      `${request.name} runs in account ${current.accountId} ${current.region}, not ${request.accountId} ${request.region}; an environment cannot move.`,
    );
  }
  await access.assertMayManage(initiator, current, what);
  await access.assertMayAssign(initiator, request, current);
}

/**
 * For actions on an existing environment by name (drift, destroy, register): when the environment exists (catalog
 * entity, or stacks in the account), the initiator must be among its owners or the platform team. An environment that
 * does not exist has nothing to protect.
 */
export async function assertMayManageExisting(
  deps: Pick<ActionDependencies, 'access'>,
  ctx: { getInitiatorCredentials: () => Promise<BackstageCredentials> },
  name: string,
  client: CloudFormationClient | undefined,
  what: string,
): Promise<void> {
  const current = await deps.access.current(name, client);
  if (!current) return;
  const initiator = await deps.access.initiator(() =>
    ctx.getInitiatorCredentials(),
  );
  await deps.access.assertMayManage(initiator, current, what);
}

/**
 * The complete environment to deploy: the request merged with the settings its stacks run with today (a blank field
 * keeps the current value; see `resolveEnvironmentSpec`), planned against the blueprint.
 */
export async function prepareEnvironment(
  checked: CheckedRequest,
  client: CloudFormationClient,
): Promise<PreparedEnvironment> {
  const { request, blueprint, tools } = checked;
  const stacks = await Promise.all(
    blueprint.layers.map(layer =>
      describeStack(client, stackNameFor(request.name, layer.name)),
    ),
  );
  const current = currentSettingsOf(stacks, blueprint);
  const { spec, settings } = resolveEnvironmentSpec(request, current);
  const planned = tools.planEnvironment(blueprint, spec);
  const tags = tools.environmentTags(blueprint, spec);
  return {
    spec,
    blueprint,
    planned,
    tags,
    tools,
    settings: maskSettings(settings, secretSettingFields(blueprint)),
  };
}

function resolveStackParameters(
  prepared: PreparedEnvironment,
  stack: PlannedStack,
  outputsByLayer: Record<string, Record<string, string>>,
  secrets: SecretRegistry,
) {
  const parameters = prepared.tools.resolveParameters(
    stack,
    prepared.spec,
    outputsByLayer,
  );
  const secretKeys = secretParameterKeys(
    stack.templateBody,
    parameters.map(p => p.ParameterKey),
  );
  for (const parameter of parameters) {
    if (secretKeys.has(parameter.ParameterKey)) {
      secrets.add(parameter.ParameterValue);
    }
  }
  return parameters;
}

function stackTags(prepared: PreparedEnvironment, stack: PlannedStack): Tag[] {
  return [
    ...prepared.tags.filter(t => t.Key !== TAG_LAYER),
    { Key: TAG_LAYER, Value: stack.layer },
  ];
}

export interface LayerDeployment extends StackDeployment {
  layer: string;
}

/**
 * Deploys the blueprint's stacks as a dependency graph: each stack starts as soon as the stacks it depends on are
 * complete, with their outputs passed on as its parameters.
 */
export async function deployEnvironment(
  op: OperationContext,
  prepared: PreparedEnvironment,
  secrets: SecretRegistry,
): Promise<LayerDeployment[]> {
  const outputsByLayer: Record<string, Record<string, string>> = {};
  const byLayer = new Map(prepared.planned.map(p => [p.layer, p]));
  const results = await runGraph(
    prepared.planned.map(p => ({ id: p.layer, dependsOn: p.dependsOn })),
    async node => {
      const stack = byLayer.get(node.id)!;
      const parameters = resolveStackParameters(
        prepared,
        stack,
        outputsByLayer,
        secrets,
      );
      const deployment = await deployStack(op, {
        stackName: stack.stackName,
        templateBody: stack.templateBody,
        parameters,
        tags: stackTags(prepared, stack),
        capabilities: stack.capabilities,
        protect: prepared.spec.stage === 'prod',
      });
      outputsByLayer[stack.layer] = deployment.outputs;
      return { layer: stack.layer, ...deployment };
    },
  );
  return prepared.planned.map(p => results.get(p.layer)!);
}

export interface LayerPreview {
  layer: string;
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  changes: ResourceChangeSummary[];
  /** How the changes were found: a change set, or the template (a new stack whose inputs do not exist yet). */
  source: 'change-set' | 'template';
}

function resourcesOfTemplate(templateBody: string): ResourceChangeSummary[] {
  const template = parseTemplate(templateBody);
  return Object.entries(template.Resources).map(([logicalId, resource]) => ({
    action: 'Add',
    logicalId,
    resourceType: resource.Type,
  }));
}

/**
 * What deploying the environment would change, never executing anything: a change set per stack (created,
 * described and deleted). A new stack whose input stacks do not exist yet cannot get a change set (its parameters
 * are outputs that do not exist), so it is previewed from its template: every resource added.
 */
export async function previewEnvironment(
  op: OperationContext,
  prepared: PreparedEnvironment,
  secrets: SecretRegistry,
): Promise<LayerPreview[]> {
  const existing = await Promise.all(
    prepared.planned.map(p => describeStack(op.client, p.stackName)),
  );
  const outputsByLayer: Record<string, Record<string, string>> = {};
  prepared.planned.forEach((p, index) => {
    const stack = existing[index];
    if (stack && stack.StackStatus !== 'REVIEW_IN_PROGRESS') {
      outputsByLayer[p.layer] = stackOutputs(stack);
    }
  });
  return Promise.all(
    prepared.planned.map(async (stack): Promise<LayerPreview> => {
      const inputsExist = stack.dependsOn.every(d => outputsByLayer[d]);
      if (!inputsExist) {
        op.logger.info(
          `${stack.stackName}: new stack after its inputs exist; previewed from its template`,
        );
        return {
          layer: stack.layer,
          stackName: stack.stackName,
          changeSetType: 'CREATE',
          changes: resourcesOfTemplate(stack.templateBody),
          source: 'template',
        };
      }
      const deployment = await deployStack(
        op,
        {
          stackName: stack.stackName,
          templateBody: stack.templateBody,
          parameters: resolveStackParameters(
            prepared,
            stack,
            outputsByLayer,
            secrets,
          ),
          tags: stackTags(prepared, stack),
          capabilities: stack.capabilities,
          protect: prepared.spec.stage === 'prod',
        },
        { dryRun: true },
      );
      return {
        layer: stack.layer,
        stackName: stack.stackName,
        changeSetType: deployment.changeSetType ?? 'UPDATE',
        changes: deployment.changes,
        source: 'change-set',
      };
    }),
  );
}

/** One line a person reads first: how many stacks are created, updated or left alone. */
export function summarizePreview(
  environment: string,
  previews: LayerPreview[],
): string {
  const created = previews.filter(p => p.changeSetType === 'CREATE');
  const updated = previews.filter(
    p => p.changeSetType === 'UPDATE' && p.changes.length > 0,
  );
  const unchanged = previews.length - created.length - updated.length;
  const replacements = previews
    .flatMap(p => p.changes)
    .filter(c => c.replacement === 'True' || c.replacement === 'Conditional');
  const count = (list: LayerPreview[]) =>
    list.reduce((sum, p) => sum + p.changes.length, 0);
  return [
    `${environment}: ${created.length} stack(s) to create (${count(
      created,
    )} resources)`,
    `${updated.length} to update (${count(updated)} changes, ${
      replacements.length
    } replacement(s))`,
    `${unchanged} unchanged`,
  ].join(', ');
}
