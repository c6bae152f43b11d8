import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  STAGES,
  TAG_OWNER,
  TAG_STAGE,
  awsEnvironmentsImageRepositoryManagePermission,
} from '@internal/plugin-aws-environments-common';
import { parseTemplate } from '@internal/plugin-aws-environments-node';
import fs from 'node:fs/promises';
import {
  type ActionDependencies,
  assertTargetAllowed,
  openOperation,
} from '../lib/actionSupport';
import {
  SecretRegistry,
  maskOutputs,
  secretParameterKeys,
} from '../lib/secrets';
import {
  PLATFORM_TEMPLATE_NAMES,
  resolvePlatformStack,
} from '../lib/platformTemplates';
import {
  entityOwnedBy,
  isLive,
  normalizeRef,
} from '../lib/access';
import { describeStack, deployStack } from '../lib/stackOperations';
import { examples } from './cloudformationDeploy.examples';

/**
 * A component's image repository belongs to the component: its owners and the platform team may create or change
 * it. Decided on the component's catalog entity, or on the owner tag of an existing `ecr-<component>` stack when the
 * catalog does not know the component yet; a new repository only for the initiator's own teams.
 */
async function assertMayManageImageRepository(
  deps: ActionDependencies,
  ctx: { getInitiatorCredentials: () => Promise<BackstageCredentials> },
  client: CloudFormationClient,
  stackName: string,
  parameters: Record<string, string>,
): Promise<void> {
  const component = parameters.ComponentName ?? '';
  const { access } = deps;
  const initiator = await access.initiator(() => ctx.getInitiatorCredentials());
  const permission = awsEnvironmentsImageRepositoryManagePermission;
  const entity = await access.component(component);
  if (entity) {
    const owner = (entity.spec as { owner?: string } | undefined)?.owner;
    await access.assertAllowedOn(
      initiator,
      permission,
      entity,
      `${stackName} is the image repository of ${component}, which belongs to ${
        owner ?? 'no team'
      }: only its owners and the platform team may change it.`,
    );
    return;
  }
  const existing = await describeStack(client, stackName);
  if (isLive(existing)) {
    const owner = existing.Tags?.find(t => t.Key === TAG_OWNER)?.Value;
    await access.assertAllowedOn(
      initiator,
      permission,
      entityOwnedBy('Component', component, owner),
      `${stackName} already exists and belongs to ${
        owner ?? 'no team'
      }: pick another component name.`,
    );
  }
  const requestedOwner = parameters.Owner
    ? normalizeRef(parameters.Owner, 'group')
    : undefined;
  await access.assertAllowedOn(
    initiator,
    permission,
    entityOwnedBy('Component', component, requestedOwner),
    `Owner: you may create image repositories for your own teams only, not for ${
      requestedOwner ?? 'no team'
    }.`,
  );
}

/** CloudFormation's own limit for an inline template. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * `innovate:cloudformation:deploy`: creates or updates one stack through a change set and streams its events into
 * the task log.
 */
export function createCloudFormationDeployAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:cloudformation:deploy',
    description:
      'Creates or updates one CloudFormation stack through a change set (no-op when nothing changed), streaming its events into the task log. In prod: termination protection and a stack policy protecting RDS resources.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z.string({ description: 'AWS account id (on the allowlist)' }),
        region: z => z.string({ description: 'AWS Region, e.g. eu-central-1' }),
        stackName: z =>
          z.string({
            description:
              'Stack name: letters, digits and hyphens, starting with a letter, at most 128 characters',
          }),
        templateBody: z =>
          z
            .string({
              description: 'Template (YAML or JSON), at most 51,200 bytes',
            })
            .optional(),
        templatePath: z =>
          z
            .string({
              description:
                'Template file inside the task workspace, instead of templateBody',
            })
            .optional(),
        platformTemplate: z =>
          z
            .enum(PLATFORM_TEMPLATE_NAMES, {
              description:
                "A platform template from the portal's own templates/ folder, instead of templateBody or templatePath. The action fixes its stack name, account stage and other parameters; the permission policy lets application teams run only these.",
            })
            .optional(),
        parameters: z =>
          z
            .record(z.union([z.string(), z.number(), z.boolean()]), {
              description: 'Template parameters by name',
            })
            .optional(),
        tags: z =>
          z.record(z.string(), { description: 'Stack tags by key' }).optional(),
        capabilities: z =>
          z
            .array(
              z.enum([
                'CAPABILITY_IAM',
                'CAPABILITY_NAMED_IAM',
                'CAPABILITY_AUTO_EXPAND',
              ]),
              { description: 'IAM capabilities the template needs' },
            )
            .optional(),
        stage: z =>
          z
            .enum(STAGES, {
              description:
                'Stage of the stack; prod turns on termination protection and the database stack policy',
            })
            .optional(),
        terminationProtection: z =>
          z
            .boolean({
              description:
                'Turn on termination protection (always on for prod, which also gets the database stack policy)',
            })
            .optional(),
        useExecutionRole: z =>
          z
            .boolean({
              description:
                "Run the stack as the account's CloudFormation service role (default true). false deploys with the portal's own permissions: only for the account baseline, which creates that role",
            })
            .optional(),
      },
      output: {
        stackName: z => z.string({ description: 'Name of the stack' }),
        outcome: z =>
          z.string({
            description: 'created, updated, unchanged or previewed (dry run)',
          }),
        status: z => z.string({ description: 'Stack status at the end' }),
        outputs: z =>
          z.record(z.string(), {
            description: 'Stack outputs; secret-looking values masked',
          }),
        changes: z =>
          z.array(
            z.object({
              action: z.string(),
              logicalId: z.string(),
              resourceType: z.string(),
              replacement: z.string().optional(),
            }),
            { description: 'Resource changes of the change set' },
          ),
      },
    },
    async handler(ctx) {
      const { accountId, region, stackName, platformTemplate } = ctx.input;
      if (!STACK_NAME_PATTERN.test(stackName)) {
        throw new InputError(
          `Invalid stack name "${stackName}": letters, digits and hyphens, starting with a letter, at most 128 characters`,
        );
      }
      const templateSources = [
        ctx.input.templateBody,
        ctx.input.templatePath,
        platformTemplate,
      ].filter(Boolean);
      if (templateSources.length !== 1) {
        throw new InputError(
          'Give exactly one of templateBody, templatePath and platformTemplate',
        );
      }
      if (
        platformTemplate &&
        (ctx.input.capabilities?.length ||
          ctx.input.useExecutionRole ||
          ctx.input.terminationProtection ||
          ctx.input.stage)
      ) {
        throw new InputError(
          `A ${platformTemplate} stack takes no capabilities, execution role, termination protection or stage from a step`,
        );
      }
      const platformStack = platformTemplate
        ? await resolvePlatformStack(platformTemplate, {
            stackName,
            parameters: Object.fromEntries(
              Object.entries(ctx.input.parameters ?? {}).map(([key, value]) => [
                key,
                String(value),
              ]),
            ),
            tags: ctx.input.tags ?? {},
            account: assertTargetAllowed(deps.awsClients, {
              accountId,
              region,
            }),
            accounts: deps.awsClients.listAccounts(),
          })
        : undefined;
      const templateBody =
        platformStack?.templateBody ??
        ctx.input.templateBody ??
        (await fs
          .readFile(
            resolveSafeChildPath(ctx.workspacePath, ctx.input.templatePath!),
            'utf8',
          )
          .catch(error => {
            throw new InputError(
              `Cannot read template ${ctx.input.templatePath}: ${error.message}`,
            );
          }));
      if (Buffer.byteLength(templateBody, 'utf8') > MAX_TEMPLATE_BODY_BYTES) {
        throw new InputError(
          `Template of ${stackName} is larger than CloudFormation's 51,200-byte TemplateBody limit`,
        );
      }
      parseTemplate(templateBody, stackName);
      assertTargetAllowed(deps.awsClients, { accountId, region });

      const parameterEntries = Object.entries(
        platformStack?.parameters ?? ctx.input.parameters ?? {},
      ).map(([key, value]) => ({
        ParameterKey: key,
        ParameterValue: String(value),
      }));
      const secrets = new SecretRegistry();
      const secretKeys = secretParameterKeys(
        templateBody,
        parameterEntries.map(p => p.ParameterKey),
      );
      for (const p of parameterEntries) {
        if (secretKeys.has(p.ParameterKey)) secrets.add(p.ParameterValue);
      }
      const tags = Object.entries(ctx.input.tags ?? {}).map(([Key, Value]) => ({
        Key,
        Value,
      }));
      const stage = ctx.input.stage ?? ctx.input.tags?.[TAG_STAGE];

      const op = await openOperation(
        ctx,
        deps,
        { accountId, region },
        secrets,
        {
          // Platform templates go to accounts without a CloudFormation service role (shared services).
          useExecutionRole:
            !platformStack && ctx.input.useExecutionRole !== false,
        },
      );
      if (platformTemplate === 'component-image-repository' && platformStack) {
        await assertMayManageImageRepository(
          deps,
          ctx,
          op.client,
          stackName,
          platformStack.parameters,
        );
      }
      const result = await deployStack(
        op,
        {
          stackName,
          templateBody,
          parameters: parameterEntries,
          tags,
          capabilities: ctx.input.capabilities ?? [],
          protect: stage === 'prod',
          terminationProtection: ctx.input.terminationProtection === true,
        },
        { dryRun: ctx.isDryRun },
      );
      ctx.output('stackName', result.stackName);
      ctx.output('outcome', result.outcome);
      ctx.output('status', result.status);
      ctx.output('outputs', maskOutputs(result.outputs, secrets));
      ctx.output('changes', result.changes);
    },
  });
}
