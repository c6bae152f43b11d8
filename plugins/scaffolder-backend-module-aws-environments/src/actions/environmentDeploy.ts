import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { type ActionDependencies, openOperation } from '../lib/actionSupport';
import {
  assertNoCidrOverlap,
  environmentSpecSchema,
} from '../lib/environmentSpec';
import { formatSettings, settingsOutputSchema } from '../lib/currentSettings';
import {
  checkEnvironmentRequest,
  deployEnvironment,
  prepareEnvironment,
  previewEnvironment,
  summarizePreview,
} from '../lib/environmentRun';
import { consoleUrlFor } from '../lib/names';
import { SecretRegistry, maskOutputs } from '../lib/secrets';
import { examples } from './environmentDeploy.examples';

/**
 * `innovate:environment:deploy`: validates an environment request, then deploys the blueprint's layered stacks as a
 * dependency graph (independent stacks in parallel). Re-running it with the same request updates the same stacks.
 */
export function createEnvironmentDeployAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:environment:deploy',
    description:
      'Deploys a whole environment of the reference architecture (network, security, data, compute, edge, observability stacks) through change sets, independent stacks in parallel.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          environmentSpecSchema(z).describe(
            'The environment: name, stage, account, Region (and a VPC range for a new one); a field left out keeps its current value, or for a new environment takes the stage default',
          ),
      },
      output: {
        stacks: z =>
          z.array(
            z.object({
              layer: z.string(),
              stackName: z.string(),
              outcome: z.string(),
              status: z.string(),
              outputs: z.record(z.string()),
              startedAt: z.string(),
              completedAt: z.string(),
            }),
            {
              description:
                'Per layer: stack, outcome (created/updated/unchanged/previewed), status, outputs (secrets masked), start and end times',
            },
          ),
        consoleUrl: z =>
          z.string({
            description: "AWS console link to the environment's stacks",
          }),
        environment: z =>
          z
            .object(
              {},
              {
                description:
                  'The request with blank fields filled from the current stacks or the stage defaults',
              },
            )
            .passthrough(),
        settings: z => settingsOutputSchema(z),
      },
    },
    async handler(ctx) {
      const checked = await checkEnvironmentRequest(
        ctx.input.environment,
        deps,
      );
      const secrets = new SecretRegistry();
      const op = await openOperation(
        ctx,
        deps,
        {
          accountId: checked.request.accountId,
          region: checked.request.region,
        },
        secrets,
      );
      const prepared = await prepareEnvironment(checked, op.client);
      const { spec } = prepared;
      formatSettings(spec.name, prepared.settings).forEach(line =>
        op.logger.info(line),
      );
      ctx.output('settings', prepared.settings);
      await assertNoCidrOverlap(op.client, spec);

      ctx.output('consoleUrl', consoleUrlFor(spec.region, spec.name));
      ctx.output('environment', spec as unknown as JsonObject);

      if (ctx.isDryRun) {
        const previews = await previewEnvironment(op, prepared, secrets);
        op.logger.info(summarizePreview(spec.name, previews));
        const now = new Date().toISOString();
        ctx.output(
          'stacks',
          previews.map(p => ({
            layer: p.layer,
            stackName: p.stackName,
            outcome: 'previewed',
            status: p.changeSetType === 'CREATE' ? 'NOT_CREATED' : 'UNCHANGED',
            outputs: {},
            startedAt: now,
            completedAt: now,
          })),
        );
        return;
      }

      op.logger.info(
        `Deploying ${spec.name} (${spec.stage}) into ${spec.accountId} ${
          spec.region
        }: ${prepared.planned.map(p => p.stackName).join(', ')}`,
      );
      const deployments = await deployEnvironment(op, prepared, secrets);
      ctx.output(
        'stacks',
        deployments.map(d => ({
          layer: d.layer,
          stackName: d.stackName,
          outcome: d.outcome,
          status: d.status,
          outputs: maskOutputs(d.outputs, secrets),
          startedAt: d.startedAt,
          completedAt: d.completedAt,
        })),
      );
      op.logger.info(
        `${spec.name}: ${deployments
          .map(d => `${d.layer} ${d.outcome}`)
          .join(', ')}`,
      );
    },
  });
}
