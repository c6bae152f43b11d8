import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { type ActionDependencies, openOperation } from '../lib/actionSupport';
import {
  assertNoCidrOverlap,
  environmentSpecSchema,
} from '../lib/environmentSpec';
import { formatSettings, settingsOutputSchema } from '../lib/currentSettings';
import {
  checkEnvironmentRequest,
  prepareEnvironment,
  previewEnvironment,
  summarizePreview,
} from '../lib/environmentRun';
import { SecretRegistry } from '../lib/secrets';
import { examples } from './environmentPlan.examples';

/**
 * `innovate:environment:plan`: what deploying the environment would change, from change sets that are created,
 * described and deleted again. Never executes anything.
 */
export function createEnvironmentPlanAction(deps: ActionDependencies) {
  return createTemplateAction({
    id: 'innovate:environment:plan',
    description:
      'Previews an environment deployment: a change set per stack, described and deleted, never executed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          environmentSpecSchema(z).describe(
            'The environment, as for innovate:environment:deploy',
          ),
      },
      output: {
        changes: z =>
          z.array(
            z.object({
              layer: z.string(),
              stackName: z.string(),
              changeSetType: z.string(),
              source: z.string(),
              changes: z.array(
                z.object({
                  action: z.string(),
                  logicalId: z.string(),
                  resourceType: z.string(),
                  replacement: z.string().optional(),
                }),
              ),
            }),
            {
              description:
                'Per stack: CREATE or UPDATE and its resource changes',
            },
          ),
        summary: z =>
          z.string({
            description: 'One line: stacks created, updated, unchanged',
          }),
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
      formatSettings(prepared.spec.name, prepared.settings).forEach(line =>
        op.logger.info(line),
      );
      ctx.output('settings', prepared.settings);
      await assertNoCidrOverlap(op.client, prepared.spec);
      const previews = await previewEnvironment(op, prepared, secrets);
      const summary = summarizePreview(prepared.spec.name, previews);
      op.logger.info(summary);
      ctx.output('changes', previews);
      ctx.output('summary', summary);
    },
  });
}
